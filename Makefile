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

# Browser tests drive Debian's Chromium (browsers cannot be downloaded by test tools here) and
# inject axe-core from the npm registry. espeak-ng speaks the queue's calls (offline, voice `vi`).
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
$(VENV)/.browser-tools: package.json package-lock.json Makefile | $(BIN)/python
	@command -v chromium >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 && command -v espeak-ng >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core gettext espeak-ng; }
	npm ci --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(VENV)/.browser-tools

run: install
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo --if-new
	MOTCUA_DEMO=1 $(BIN)/motcua serve --host $(HOST) --port $(PORT) --demo

test: install-test
	$(BIN)/motcua makemigrations --check --dry-run
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -n 2 --dist loadfile

lint: install-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

bench: install-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/outbox.py --messages 2000 --workers 2 --db-url postgres://postgres@127.0.0.1:5432/motcua_bench_outbox  # delivered messages per second through the outbox
	$(BIN)/python bench/queue_boards.py  # 200 boards, 10 counters: call → board delay (own database, Redis db 13)
	$(BIN)/python bench/results_signing.py  # results signed per second in a bulk approval; public check latency
	$(BIN)/python bench/docs.py  # the measured block of docs/benchmarks.md, from the JSON above

clean-db:
	rm -rf var
