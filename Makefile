# Một cửa: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-test lint bench clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo --if-new
	$(BIN)/motcua serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/motcua makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadfile

lint: install-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

bench: install-test
	$(BIN)/python bench/run.py

clean-db:
	rm -rf var
