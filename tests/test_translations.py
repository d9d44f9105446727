"""Every user-facing string has a Vietnamese translation, and the compiled catalogs are current.

msgids are English in the code; LANGUAGE_CODE is "vi"; each app keeps its own catalog in
src/motcua/<app>/locale/vi/LC_MESSAGES/django.po (+ .mo). Django merges the catalogs of all installed
apps, so a msgid translated in any of them counts. See docs/i18n.md.

The extraction runs Django's makemessages over a temporary copy of the whole package, so the real
catalogs are never touched. It needs GNU gettext (xgettext, msgmerge, msguniq, msgfmt): the Debian
package `gettext`, which `make install-test` installs.
"""

from __future__ import annotations

import gettext as gnu_gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import motcua

PACKAGE = Path(motcua.__file__).resolve().parent
REPO = PACKAGE.parent.parent
CATALOGS = sorted(PACKAGE.glob("**/locale/vi/LC_MESSAGES/django.po"))
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgfmt")


# -- a small PO reader ---------------------------------------------------------------------------------
@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    locations: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str, bool]:
        return (self.msgctxt, self.msgid, self.msgid_plural is not None)

    @property
    def translated(self) -> bool:
        # msgfmt leaves fuzzy entries out of the .mo, so at run time they are untranslated.
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")\s*$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token.strip()[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file, header included (msgid ""), obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    started = False

    def flush() -> None:
        nonlocal entry, target, started
        if started:
            entries.append(entry)
        entry, target, started = Entry(), None, False

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            entry.locations += line[2:].split()
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, token = match.groups()
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                flush()  # the next entry, without a blank line between
            started = True
            value = _unquote(token)
            if keyword == "msgstr":
                entry.msgstr[int(index or 0)] = value
                target = ("msgstr", int(index or 0))
            else:
                setattr(entry, keyword, value)
                target = (keyword, None)
        elif line.startswith('"') and target is not None:
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, keyword, getattr(entry, keyword) + _unquote(line))
    flush()
    return entries


def _header(entries: list[Entry]) -> Entry | None:
    return next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)


def _where(path: Path) -> str:
    return str(path.relative_to(REPO))


# -- fixtures ------------------------------------------------------------------------------------------
def _require_gettext() -> None:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"GNU gettext tools not found ({', '.join(missing)}): install the Debian package `gettext` "
            "(make install-test does), the translation checks cannot run without them.",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[Entry]:
    """Every msgid of the project, as makemessages finds it in a copy of src/motcua/."""
    _require_gettext()
    root = tmp_path_factory.mktemp("i18n")
    tree = root / "motcua"
    shutil.copytree(
        PACKAGE, tree, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "var", "node_modules")
    )
    # The real settings, but with one locale directory inside the copy: every file's strings go there.
    (root / "settings").mkdir()
    (root / "settings" / "i18n_check_settings.py").write_text(
        f"from motcua.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(tree / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root / "settings"), os.environ.get("PYTHONPATH")])),
        "MOTCUA_DATA_DIR": str(root / "var"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "-d", "django", "--no-wrap"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"makemessages failed:\n{done.stdout}\n{done.stderr}"
    po = tree / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"makemessages wrote no catalog:\n{done.stdout}\n{done.stderr}"
    return [e for e in read_po(po) if e.msgid]


@pytest.fixture(scope="module")
def catalogs() -> dict[Path, list[Entry]]:
    assert CATALOGS, "no Vietnamese catalog under src/motcua/*/locale/vi/LC_MESSAGES/"
    return {path: read_po(path) for path in CATALOGS}


# -- every msgid is translated -------------------------------------------------------------------------
def test_every_msgid_in_the_project_has_a_vietnamese_translation(extracted, catalogs):
    # Given the union of the apps' vi catalogs (Django merges them at run time)
    translated = {e.key for entries in catalogs.values() for e in entries if e.msgid and e.translated}
    # When every msgid found in the code and templates is looked up in it
    missing = [e for e in extracted if e.key not in translated]
    # Then none is missing
    lines = []
    for e in sorted(missing, key=lambda e: (e.locations[:1], e.msgid)):
        where = ", ".join(f"src/motcua/{loc}" for loc in e.locations[:3]) + (
            " …" if len(e.locations) > 3 else ""
        )
        context = f"[{e.msgctxt}] " if e.msgctxt else ""
        plural = f" / {e.msgid_plural!r}" if e.msgid_plural else ""
        lines.append(f"  {where}\n      {context}{e.msgid!r}{plural}")
    if missing:
        pytest.fail(
            f"{len(missing)} of {len(extracted)} msgids have no Vietnamese translation in any "
            "src/motcua/<app>/locale/vi/LC_MESSAGES/django.po (run makemessages in the app, fill msgstr, "
            "compilemessages; see docs/i18n.md):\n" + "\n".join(lines),
            pytrace=False,
        )


def test_a_msgid_translated_in_several_catalogs_has_one_translation(catalogs):
    # Django keeps the first installed app's translation and silently drops the others, so two
    # different wordings of one msgid mean one of them is dead; give a context (pgettext) instead.
    seen: dict[tuple, dict[tuple, list[str]]] = {}
    for path, entries in catalogs.items():
        for e in entries:
            if e.msgid and e.translated:
                seen.setdefault(e.key, {}).setdefault(tuple(sorted(e.msgstr.items())), []).append(
                    _where(path)
                )
    conflicts = {key: wordings for key, wordings in seen.items() if len(wordings) > 1}
    assert not conflicts, "msgids translated differently in different catalogs:\n" + "\n".join(
        f"  {key[1]!r}: " + "; ".join(f"{dict(w)} in {', '.join(paths)}" for w, paths in wordings.items())
        for key, wordings in conflicts.items()
    )


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: _where(p))
def test_each_catalog_is_a_clean_vietnamese_catalog(po):
    entries = read_po(po)
    header = _header(entries)
    assert header is not None, f"{_where(po)} has no header"
    text = header.msgstr.get(0, "")
    # A fuzzy header is left out of the .mo, and with it the charset and the plural rule.
    assert "fuzzy" not in header.flags, f"{_where(po)}: remove '#, fuzzy' from the header"
    assert "Language: vi\n" in text, f"{_where(po)}: the header must say 'Language: vi'"
    assert "charset=UTF-8" in text, f"{_where(po)}: the header must declare charset=UTF-8"
    assert "Plural-Forms: nplurals=1; plural=0;" in text, f"{_where(po)}: Vietnamese has one plural form"
    fuzzy = [e.msgid for e in entries if e.msgid and "fuzzy" in e.flags]
    assert not fuzzy, f"{_where(po)}: fuzzy entries are not used at run time, review them: {fuzzy}"
    plural_shapes = [e.msgid for e in entries if e.msgid_plural is not None and sorted(e.msgstr) != [0]]
    assert not plural_shapes, (
        f"{_where(po)}: plural entries need exactly msgstr[0] in Vietnamese: {plural_shapes}"
    )


# -- the compiled catalogs -------------------------------------------------------------------------------
def _catalog(mo: Path) -> tuple[dict, str | None]:
    with mo.open("rb") as handle:
        compiled = gnu_gettext.GNUTranslations(handle)
    messages = {k: v for k, v in compiled._catalog.items() if k != ""}  # the header carries dates
    return messages, compiled._info.get("plural-forms")


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: _where(p))
def test_each_mo_is_compiled_from_its_po(po, tmp_path):
    _require_gettext()
    # Given the .po compiled afresh, as compilemessages does (placeholders checked)
    fresh = tmp_path / "django.mo"
    done = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(po)], capture_output=True, text=True
    )
    assert done.returncode == 0, f"msgfmt --check-format {_where(po)} failed:\n{done.stderr}"
    # Then the committed .mo says the same (bytes, or the same messages if another msgfmt laid them out)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{_where(mo)} is missing: run compilemessages in the app"
    if mo.read_bytes() != fresh.read_bytes():
        assert _catalog(mo) == _catalog(fresh), f"{_where(mo)} is stale: run compilemessages in the app"


# -- at run time -------------------------------------------------------------------------------------------
def test_vietnamese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "vi",
            {
                "state": "Đã tiếp nhận",
                "role": "Cán bộ một cửa",
                "error": "Cần nhập tên người nộp hồ sơ.",
                "limit": "3 ngày làm việc",
                "outcome": "Quá hạn",
            },
        ),
        (
            "en",
            {
                "state": "Received",
                "role": "Desk officer",
                "error": "The applicant's name is required.",
                "limit": "3 working days",
                "outcome": "Late",
            },
        ),
    ],
)
def test_key_strings_follow_the_active_language(language, expected):
    from decimal import Decimal

    from motcua.catalog.display import limit_text
    from motcua.core.errors import DomainError
    from motcua.dossiers import services
    from motcua.dossiers.models import Outcome, State
    from motcua.units.models import Role
    from motcua.workdays.core import LimitKind, TimeLimit

    with translation.override(language):
        with pytest.raises(DomainError) as refused:
            services.Applicant(name="  ").fields()
        got = {
            "state": str(State.RECEIVED.label),
            "role": str(Role.DESK_OFFICER.label),
            "error": refused.value.message,
            "limit": limit_text(TimeLimit(LimitKind.WORKING_DAYS, Decimal(3))),
            "outcome": str(Outcome.LATE.label),
        }
    assert got == expected


@pytest.mark.django_db
def test_the_api_answers_in_vietnamese_unless_asked_for_english(client):
    # A made-up address keeps this test's failed lookups apart from the rate-limit tests.
    url = "/api/v1/track/H00.00.00.00-260101-0001?secret=WRONG"
    default = client.get(url, REMOTE_ADDR="198.51.100.23")
    english = client.get(url, REMOTE_ADDR="198.51.100.23", HTTP_ACCEPT_LANGUAGE="en")
    assert default.status_code == english.status_code == 404
    assert default.json()["detail"] == "Không có hồ sơ nào khớp với mã hồ sơ và mã tra cứu này."
    assert english.json()["detail"] == "No dossier matches this code and lookup secret."
