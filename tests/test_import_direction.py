"""Imports go one way (docs/architecture.md): no two apps of `src/motcua/` import each other.

Every import counts: at module level, inside functions (a lazy import is still a dependency),
relative ones, `importlib.import_module("motcua.<app>...")` with a literal name, and the
templates one app includes or extends from another (`{% include "queueing/..." %}`).
A lower app lets a higher one in through a registry it publishes (`dossiers.events.listen`,
`staff.panels.register_desk_panel`, `reports.panels.register_unit_panel`, ...).
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "motcua"
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())
TEMPLATE_REF = re.compile(r"""{%\s*(?:include|extends)\s+["']([a-z_]+)/""")


def _module_names(tree: ast.AST, package: list[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def app_imports(src: Path = SRC, apps: list[str] = APPS) -> dict[str, dict[str, set[str]]]:
    """{app: {other app it depends on: {files where}}}."""
    found: dict[str, dict[str, set[str]]] = {app: {} for app in apps}
    for app in apps:
        for path in (src / app).rglob("*.py"):
            package = ["motcua", *path.relative_to(src).parent.parts]
            for name in _module_names(ast.parse(path.read_text(encoding="utf-8")), package):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "motcua" and parts[1] in apps and parts[1] != app:
                    found[app].setdefault(parts[1], set()).add(str(path.relative_to(src)))
        for path in (src / app / "templates").rglob("*.html"):
            for other in TEMPLATE_REF.findall(path.read_text(encoding="utf-8")):
                if other in apps and other != app:
                    found[app].setdefault(other, set()).add(str(path.relative_to(src)))
    return found


def two_way(found: dict[str, dict[str, set[str]]]) -> list[str]:
    return [
        f"{a} ⇄ {b}: {sorted(found[a][b])} / {sorted(found[b][a])}"
        for a, b in itertools.combinations(sorted(found), 2)
        if b in found[a] and a in found[b]
    ]


def test_no_two_apps_import_each_other():
    assert two_way(app_imports()) == []


def test_the_queue_sits_above_staff_reports_and_dossiers_and_below_notify():
    found = app_imports()
    assert {"staff", "reports", "dossiers"} <= set(found["queueing"])
    assert "queueing" in found["notify"]
    for lower in ("staff", "reports", "dossiers", "units", "catalog", "identity"):
        assert "queueing" not in found[lower], (lower, found[lower].get("queueing"))


@pytest.mark.parametrize(
    "code",
    [
        "def view():\n    from motcua.b.services import x\n",  # a lazy import inside a function
        "from ..b import services\n",  # relative
        "import importlib\nm = importlib.import_module('motcua.b.selectors')\n",
    ],
)
def test_the_check_sees_function_level_relative_and_dynamic_imports(tmp_path, code):
    for app, text in (("a", code), ("b", "from motcua.a import models\n")):
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
        (tmp_path / app / "views.py").write_text(text)
    assert two_way(app_imports(tmp_path, ["a", "b"])) != []
