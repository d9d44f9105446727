"""Reading catalog files: every problem is collected with its row or item, field and cause."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.text import nfc, search_key
from motcua.workdays.core import CalendarError, TimeLimit

from ..eform import FormDefinitionError, FormSpec, form_from_dict
from ..specs import (
    CatalogFileError,
    ComponentSpec,
    FeeSpec,
    Problem,
    StepSpec,
    VersionSpec,
    normalize_version,
    version_problems,
)
from .format import (
    COMPONENT_KEYS,
    CSV_COLUMNS,
    FEE_KEYS,
    FORMAT_NAME,
    STEP_KEYS,
    VERSION_KEYS,
    CatalogEntry,
)
from .writing import detect_format


class _Bad(Exception):
    """A value cannot be used; the message is a short phrase for after the field name."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise _Bad(_("must be text"))


def _int(value: Any, *, optional: bool = False) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise _Bad(_("is missing"))
    if isinstance(value, bool):
        raise _Bad(_("must be a whole number, not %(value)s") % {"value": json.dumps(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise _Bad(_('must be a whole number, not "%(value)s"') % {"value": value})


_TRUE = {"true", "1", "yes", "y", "co", "x"}
_FALSE = {"false", "0", "no", "n", "khong", ""}


def _bool(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        key = search_key(value)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    raise _Bad(_('must be true or false, not "%(value)s"') % {"value": value})


def _date(value: Any, *, optional: bool = False) -> date | None:
    text = _text(value).strip()
    if not text:
        if optional:
            return None
        raise _Bad(_("is missing"))
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _Bad(_('must be a date as YYYY-MM-DD or DD/MM/YYYY, not "%(value)s"') % {"value": text})


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise _Bad(_("must be a number"))
    try:
        if isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(str(value))
        else:
            # A decimal comma is what Vietnamese spreadsheets write ("0,5").
            number = Decimal(_text(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise _Bad(_('must be a number, not "%(value)s"') % {"value": value}) from exc
    if not number.is_finite():
        raise _Bad(_('must be a number, not "%(value)s"') % {"value": value})
    return number


def _limit(value: Any) -> TimeLimit:
    text = _text(value)
    if not text.strip():
        raise _Bad(_("is missing"))
    try:
        return TimeLimit.parse(text)
    except CalendarError as exc:
        if str(exc).startswith("Unknown time limit"):
            raise _Bad(
                _(
                    'unknown time limit "%(value)s" (use "same day", "N working days", "N working hours" '
                    'or "N calendar days")'
                )
                % {"value": text}
            ) from exc
        raise _Bad(_('invalid time limit "%(value)s": %(reason)s') % {"value": text, "reason": exc}) from exc


class _Reader:
    """Reads the values of one object, recording a problem per bad field instead of stopping."""

    def __init__(self, data: dict, problems: list[tuple[str, str]], prefix: str = ""):
        self.data = data
        self.problems = problems
        self.prefix = prefix

    def get(
        self, key: str, convert: Callable[[Any], Any], default: Any = None, *, required: bool = False
    ) -> Any:
        raw = self.data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.problem(key, _("is missing"))
            return default
        try:
            return convert(raw)
        except _Bad as exc:
            self.problem(key, str(exc))
            return default

    def problem(self, key: str, message: str) -> None:
        self.problems.append((key, f"{self.prefix}{message}"))

    def unknown_keys(self, allowed: list[str]) -> None:
        """A misspelt key would otherwise be dropped silently and its value lost."""
        for key in self.data:
            if key not in allowed:
                self.problem(key, _('unknown field "%(name)s"') % {"name": key})


def _items(
    reader: _Reader, key: str, parse_item: Callable[[_Reader], Any], keys: list[str], *, cell: bool
) -> tuple:
    raw = reader.data.get(key)
    if raw in (None, ""):
        return ()
    if cell:
        try:
            raw = json.loads(raw, parse_float=Decimal)
        except (TypeError, ValueError) as exc:
            reader.problem(key, _("is not valid JSON (%(error)s)") % {"error": exc})
            return ()
    if not isinstance(raw, list):
        reader.problem(key, _("must be a list"))
        return ()
    out = []
    for number, item in enumerate(raw, start=1):
        prefix = _("item %(number)d: ") % {"number": number}
        if not isinstance(item, dict):
            reader.problems.append((key, prefix + _("must be an object")))
            continue
        item_problems: list[tuple[str, str]] = []
        sub = _Reader(item, item_problems)
        sub.unknown_keys(keys)
        value = parse_item(sub)
        # Nested problems are reported under the list's field, naming the item and its key.
        reader.problems.extend(
            (key, f"{prefix}{k}: {m}" if k != key else prefix + m) for k, m in item_problems
        )
        if value is not None and not item_problems:
            out.append(value)
    return tuple(out)


def _component(r: _Reader) -> ComponentSpec:
    return ComponentSpec(
        name=r.get("name", _text, "", required=True),
        paper_form=r.get("paper_form", _text, "original"),
        copies=r.get("copies", _int, 1),
        mandatory=r.get("mandatory", _bool, True),
        condition=r.get("condition", _text, ""),
        form_template=r.get("form_template", _text, ""),
    )


def _fee(r: _Reader) -> FeeSpec:
    return FeeSpec(
        name=r.get("name", _text, "", required=True),
        kind=r.get("kind", _text, "", required=True),
        channel=r.get("channel", _text, ""),
        amount=r.get("amount", _int, 0),
        pages_at_first_rate=r.get("pages_at_first_rate", lambda v: _int(v, optional=True)),
        later_page_amount=r.get("later_page_amount", lambda v: _int(v, optional=True)),
        cap=r.get("cap", lambda v: _int(v, optional=True)),
        note=r.get("note", _text, ""),
    )


def _step(r: _Reader) -> StepSpec:
    return StepSpec(
        name=r.get("name", _text, "", required=True),
        role=r.get("role", _text, "", required=True),
        department_code=r.get("department_code", _text, ""),
        budget_days=r.get("budget_days", _decimal, Decimal(0), required=True),
    )


def _channels(value: Any, *, cell: bool) -> tuple[str, ...]:
    if cell and isinstance(value, str):
        return tuple(c.strip() for c in value.replace(",", ";").split(";") if c.strip())
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise _Bad(_("must be a list of channel names"))
    return tuple(value)


def _form(value: Any, *, cell: bool) -> FormSpec:
    if cell:
        try:
            value = json.loads(value)
        except (TypeError, ValueError) as exc:
            raise _Bad(_("is not valid JSON (%(error)s)") % {"error": exc}) from exc
    try:
        return form_from_dict(value)
    except FormDefinitionError as exc:
        raise _Bad(str(exc)) from exc


def _version(r: _Reader, *, cell: bool) -> VersionSpec | None:
    values = {
        "version": r.get("version", _int, None, required=True),
        "effective_from": r.get("effective_from", _date, None, required=True),
        "effective_to": r.get("effective_to", lambda v: _date(v, optional=True)),
        "name": r.get("name", _text, "", required=True),
        "level": r.get("level", _text, "commune"),
        "competent_unit": r.get("competent_unit", _text, "", required=True),
        "applicants": r.get("applicants", _text, ""),
        "steps_description": r.get("steps_description", _text, ""),
        "limit": r.get("limit", _limit, None, required=True),
        "limit_note": r.get("limit_note", _text, ""),
        "channels": r.get("channels", lambda v: _channels(v, cell=cell), (), required=True),
        "boundary_free": r.get("boundary_free", _bool, False),
        "result": r.get("result", _text, ""),
        "legal_basis": r.get("legal_basis", _text, ""),
        "fee_note": r.get("fee_note", _text, ""),
        "is_demo": r.get("is_demo", _bool, False),
        "components": _items(r, "components", _component, COMPONENT_KEYS, cell=cell),
        "fees": _items(r, "fees", _fee, FEE_KEYS, cell=cell),
        "steps": _items(r, "steps", _step, STEP_KEYS, cell=cell),
        "form": r.get("form", lambda v: _form(v, cell=cell), None),
    }
    if values["version"] is None or values["effective_from"] is None or values["limit"] is None:
        return None
    spec = VersionSpec(**values)
    # The services check these again; checking here too reports every problem of a file in one pass.
    # Only for a cleanly read version: a dropped bad item would make the whole look wrong twice.
    if not r.problems:
        r.problems.extend((p.field, p.message) for p in version_problems(normalize_version(spec)))
    return spec


def _entries_or_raise(entries: list[CatalogEntry], problems: list[str]) -> list[CatalogEntry]:
    problems = problems + _cross_checks(entries)
    if problems:
        raise CatalogFileError(problems)
    return entries


def _cross_checks(entries: list[CatalogEntry]) -> list[str]:
    """What no single entry shows: one version twice, a procedure or a field described two ways."""
    problems = []
    seen_versions: dict[tuple[str, int | None], str] = {}
    procedure_fields: dict[str, tuple[str, str]] = {}
    field_names: dict[str, tuple[str, str]] = {}
    for e in entries:
        key = (nfc(e.national_code), e.spec.version)
        if key in seen_versions:
            problems.append(
                _at(
                    e.location,
                    "version",
                    _("version %(version)s of %(code)s is also in %(other)s")
                    % {"version": e.spec.version, "code": e.national_code, "other": seen_versions[key]},
                )
            )
        seen_versions.setdefault(key, e.location)
        code = nfc(e.national_code)
        if code in procedure_fields and procedure_fields[code][0] != nfc(e.field_code):
            problems.append(
                _at(
                    e.location,
                    "field_code",
                    _("procedure %(code)s is in field %(field)s in %(other)s")
                    % {"code": code, "field": procedure_fields[code][0], "other": procedure_fields[code][1]},
                )
            )
        procedure_fields.setdefault(code, (nfc(e.field_code), e.location))
        fcode, fname = nfc(e.field_code), nfc(e.field_name)
        if fname and fcode in field_names and field_names[fcode][0] != fname:
            problems.append(
                _at(
                    e.location,
                    "field_name",
                    _('field %(code)s is named "%(name)s" in %(other)s')
                    % {"code": fcode, "name": field_names[fcode][0], "other": field_names[fcode][1]},
                )
            )
        if fname:
            field_names.setdefault(fcode, (fname, e.location))
    return problems


def _at(location: str, field: str, message: str) -> str:
    return f"{location}, {Problem(field, message)}"


def _format(location: str, problems: list[tuple[str, str]]) -> list[str]:
    return [_at(location, key, message) for key, message in problems]


def parse_json(text: str) -> list[CatalogEntry]:
    try:
        document = json.loads(text.lstrip("\ufeff"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CatalogFileError(
            [
                _("line %(line)d, column %(column)d: not valid JSON (%(error)s)")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ]
        ) from exc
    if isinstance(document, dict):
        if document.get("format", FORMAT_NAME) != FORMAT_NAME or "procedures" not in document:
            raise CatalogFileError(
                [
                    _('not a catalog file: expected {"format": "%(name)s", "procedures": [...]}')
                    % {"name": FORMAT_NAME}
                ]
            )
        procedures = document["procedures"]
    else:
        procedures = document
    if not isinstance(procedures, list):
        raise CatalogFileError([_('"procedures" must be a list')])
    entries: list[CatalogEntry] = []
    problems: list[str] = []
    for number, item in enumerate(procedures, start=1):
        location = _("item %(number)d") % {"number": number}
        if not isinstance(item, dict):
            problems.append(location + ": " + _("must be an object"))
            continue
        item_problems: list[tuple[str, str]] = []
        r = _Reader(item, item_problems)
        r.unknown_keys(["national_code", "field", "versions"])
        national_code = r.get("national_code", _text, "", required=True)
        field_code, field_name = "", ""
        raw_field = item.get("field")
        if isinstance(raw_field, str) and raw_field.strip():
            field_code = raw_field
        elif (
            isinstance(raw_field, dict)
            and isinstance(raw_field.get("code"), str)
            and raw_field["code"].strip()
        ):
            field_code = raw_field["code"]
            field_name = raw_field.get("name") if isinstance(raw_field.get("name"), str) else ""
        else:
            r.problem("field", _('is missing: give {"code": ..., "name": ...}'))
        versions = item.get("versions")
        if not isinstance(versions, list) or not versions:
            r.problem("versions", _("must be a non-empty list"))
            versions = []
        problems.extend(_format(location, item_problems))
        for v_number, raw_version in enumerate(versions, start=1):
            v_location = location + ", " + _("version %(number)d") % {"number": v_number}
            if not isinstance(raw_version, dict):
                problems.append(v_location + ": " + _("must be an object"))
                continue
            version_problems: list[tuple[str, str]] = []
            vr = _Reader(raw_version, version_problems)
            vr.unknown_keys(VERSION_KEYS)
            spec = _version(vr, cell=False)
            problems.extend(_format(v_location, version_problems))
            if spec is not None and not version_problems and not item_problems:
                entries.append(CatalogEntry(v_location, national_code, field_code, field_name, spec))
    return _entries_or_raise(entries, problems)


def parse_csv(text: str) -> list[CatalogEntry]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = reader.fieldnames or []
    missing = [
        c
        for c in (
            "national_code",
            "field_code",
            "version",
            "effective_from",
            "name",
            "competent_unit",
            "limit",
            "channels",
        )
        if c not in header
    ]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        problems = [_('header: missing column "%(name)s"') % {"name": c} for c in missing]
        problems += [_('header: unknown column "%(name)s"') % {"name": c} for c in unknown]
        raise CatalogFileError(problems)
    entries: list[CatalogEntry] = []
    problems = []
    for number, row in enumerate(reader, start=1):
        location = _("row %(number)d") % {"number": number}
        if None in row:
            problems.append(location + ": " + _("has more cells than the header"))
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        row_problems: list[tuple[str, str]] = []
        r = _Reader(row, row_problems)
        national_code = r.get("national_code", _text, "", required=True)
        field_code = r.get("field_code", _text, "", required=True)
        field_name = r.get("field_name", _text, "")
        spec = _version(r, cell=True)
        problems.extend(_format(location, row_problems))
        if spec is not None and not row_problems:
            entries.append(CatalogEntry(location, national_code, field_code, field_name, spec))
    return _entries_or_raise(entries, problems)


def parse_text(text: str, fmt: str) -> list[CatalogEntry]:
    return parse_json(text) if fmt == "json" else parse_csv(text)


def read_catalog_file(path: str | Path, *, fmt: str | None = None) -> list[CatalogEntry]:
    fmt = detect_format(path, fmt)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogFileError(
            [_('cannot read "%(path)s": %(error)s') % {"path": path, "error": exc.strerror}]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogFileError(
            [_("the file is not UTF-8 (byte %(offset)d); save it as CSV UTF-8") % {"offset": exc.start}]
        ) from exc
    return parse_text(text, fmt)
