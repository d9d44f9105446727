"""E-forms (tờ khai điện tử): a procedure version's declaration as typed fields. Pure rules.

A form is declared in the catalog with its version, so it is exactly as immutable as the rest of
a used version and travels with the catalog's export and import. Each field has a key, a label,
a type (text, date, ID number, choice, address), whether it is required, and where its value
may come from: the citizen ID card (`source`, e.g. "card.full_name") or the applicant's earlier
declarations (`reuse`: the last value given under the same key). Values are kept as text in the
form people write them (dates dd/mm/yyyy), which is also what the PDF prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.text import nfc, search_key

FIELD_TYPES = ("text", "date", "id_number", "choice", "address")
# Where a card value may go: the types that can hold it.
SOURCES = {
    "card.full_name": ("text",),
    "card.id_number": ("id_number",),
    "card.old_id_number": ("text", "id_number"),
    "card.birth_date": ("date",),
    "card.sex": ("choice", "text"),
    "card.address": ("address", "text"),
    "card.issue_date": ("date",),
}
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_LENGTH = {"text": 200, "address": 300, "choice": 200, "date": 10, "id_number": 12}
MAX_FIELDS = 60
MAX_OPTIONS = 30
DEFAULT_COMMITMENT = (
    "Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
    "về lời cam đoan của mình."
)
FORM_KEYS = ("title", "component", "signer", "commitment", "fields")
FIELD_KEYS = ("key", "label", "type", "required", "options", "source", "reuse", "section")


class FormDefinitionError(ValueError):
    """A form definition cannot be read; the message is a short phrase for after "form:"."""


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()
    source: str = ""
    reuse: bool = False
    section: str = ""


@dataclass(frozen=True)
class FormSpec:
    """The declaration form; `component` is the position of the required component it fills."""

    title: str
    fields: tuple[FormField, ...]
    component: int | None = None
    signer: str = ""  # the key of the field printed under the signature
    commitment: str = ""

    def field(self, key: str) -> FormField | None:
        return next((f for f in self.fields if f.key == key), None)


# -- definitions ---------------------------------------------------------------------------------
def form_problems(form: FormSpec, component_count: int) -> list[str]:
    """Every problem of a (normalized) definition; empty when it is valid."""
    problems = []
    if not form.title:
        problems.append(_("the form needs a title"))
    if form.component is not None and not 1 <= form.component <= component_count:
        problems.append(
            _("the form fills component %(position)d, but the version has %(count)d")
            % {"position": form.component, "count": component_count}
        )
    if not form.fields:
        problems.append(_("the form needs at least one field"))
    if len(form.fields) > MAX_FIELDS:
        problems.append(_("the form has more than %(max)d fields") % {"max": MAX_FIELDS})
    seen: set[str] = set()
    for number, f in enumerate(form.fields, start=1):
        for message in field_problems(f):
            problems.append(_("field %(number)d: %(problem)s") % {"number": number, "problem": message})
        if f.key in seen:
            problems.append(_('the key "%(key)s" is used twice') % {"key": f.key})
        seen.add(f.key)
    if form.signer and form.signer not in seen:
        problems.append(_('the signer "%(key)s" is not a field of the form') % {"key": form.signer})
    return problems


def field_problems(f: FormField) -> list[str]:
    problems = []
    if not KEY.match(f.key):
        problems.append(
            _('the key "%(key)s" must be lower-case letters, digits and _ (at most 40)') % {"key": f.key}
        )
    if not f.label:
        problems.append(_("a field needs a label"))
    elif len(f.label) > 300:
        problems.append(_("the label is longer than 300 characters"))
    if f.type not in FIELD_TYPES:
        problems.append(
            _('unknown field type "%(type)s" (use one of %(choices)s)')
            % {"type": f.type, "choices": ", ".join(FIELD_TYPES)}
        )
    if f.type == "choice":
        if not f.options:
            problems.append(_("a choice needs options"))
        elif len(f.options) > MAX_OPTIONS or any(not o or len(o) > 200 for o in f.options):
            problems.append(_("options must be 1 to 200 characters, at most %(max)d") % {"max": MAX_OPTIONS})
        elif len({search_key(o) for o in f.options}) != len(f.options):
            problems.append(_("an option is listed twice"))
    elif f.options:
        problems.append(_("only a choice has options"))
    if f.source:
        allowed = SOURCES.get(f.source)
        if allowed is None:
            problems.append(
                _('unknown source "%(source)s" (use one of %(choices)s)')
                % {"source": f.source, "choices": ", ".join(SOURCES)}
            )
        elif f.type not in allowed:
            problems.append(
                _('a %(type)s field cannot take "%(source)s"') % {"type": f.type, "source": f.source}
            )
    return problems


def _get(data: Mapping, key: str, kind: type, default: Any) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise FormDefinitionError(_('"%(key)s" must be a whole number') % {"key": key})
    if not isinstance(value, kind):
        raise FormDefinitionError(_('"%(key)s" has the wrong kind of value') % {"key": key})
    return value


def _unknown(data: Mapping, allowed: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in allowed:
            raise FormDefinitionError(_('%(where)sunknown key "%(key)s"') % {"where": where, "key": key})


def form_from_dict(data: Any) -> FormSpec:
    """The definition as the catalog files and the database hold it; FormDefinitionError when its
    shape is wrong (the values' rules are `form_problems`)."""
    if not isinstance(data, Mapping):
        raise FormDefinitionError(_("must be an object"))
    _unknown(data, FORM_KEYS, "")
    raw_fields = _get(data, "fields", list, [])
    fields = []
    for number, item in enumerate(raw_fields, start=1):
        where = _("field %(number)d: ") % {"number": number}
        if not isinstance(item, Mapping):
            raise FormDefinitionError(where + _("must be an object"))
        _unknown(item, FIELD_KEYS, where)
        try:
            options = _get(item, "options", list, [])
            if not all(isinstance(o, str) for o in options):
                raise FormDefinitionError(_("options must be text"))
            fields.append(
                FormField(
                    key=_get(item, "key", str, ""),
                    label=_get(item, "label", str, ""),
                    type=_get(item, "type", str, "text"),
                    required=_get(item, "required", bool, False),
                    options=tuple(options),
                    source=_get(item, "source", str, ""),
                    reuse=_get(item, "reuse", bool, False),
                    section=_get(item, "section", str, ""),
                )
            )
        except FormDefinitionError as exc:
            raise FormDefinitionError(where + str(exc)) from None
    return FormSpec(
        title=_get(data, "title", str, ""),
        fields=tuple(fields),
        component=_get(data, "component", int, None),
        signer=_get(data, "signer", str, ""),
        commitment=_get(data, "commitment", str, ""),
    )


def form_to_dict(form: FormSpec) -> dict:
    """The canonical spelling: defaults left out, keys in a fixed order."""
    out: dict[str, Any] = {"title": form.title}
    if form.component is not None:
        out["component"] = form.component
    if form.signer:
        out["signer"] = form.signer
    if form.commitment:
        out["commitment"] = form.commitment
    fields = []
    for f in form.fields:
        item: dict[str, Any] = {"key": f.key, "label": f.label, "type": f.type}
        if f.required:
            item["required"] = True
        if f.options:
            item["options"] = list(f.options)
        if f.source:
            item["source"] = f.source
        if f.reuse:
            item["reuse"] = True
        if f.section:
            item["section"] = f.section
        fields.append(item)
    out["fields"] = fields
    return out


# -- values --------------------------------------------------------------------------------------
class FieldValueError(ValueError):
    """A value does not fit its field; the message is in the user's language."""


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d")


def parse_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def clean_value(f: FormField, raw: Any) -> str:
    """The canonical text of a value ("" when empty); FieldValueError when it does not fit."""
    text = " ".join(nfc("" if raw is None else str(raw)).split())
    if not text:
        return ""
    if f.type == "date":
        parsed = parse_date(text)
        if parsed is None or parsed.year < 1850:
            raise FieldValueError(_("Write the date as dd/mm/yyyy."))
        return f"{parsed:%d/%m/%Y}"
    if f.type == "id_number":
        digits = text.replace(" ", "").replace(".", "")
        if not re.fullmatch(r"\d{12}|\d{9}", digits):
            raise FieldValueError(_("An ID number has 12 digits (9 for an old ID card)."))
        return digits
    if f.type == "choice":
        key = search_key(text)
        for option in f.options:
            if search_key(option) == key:
                return option
        raise FieldValueError(_("Choose one of: %(options)s.") % {"options": ", ".join(f.options)})
    if len(text) > MAX_LENGTH[f.type]:
        raise FieldValueError(_("At most %(max)d characters.") % {"max": MAX_LENGTH[f.type]})
    return text


def clean_values(form: FormSpec, raw: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(values by key, problems by key): every field checked, required ones must be filled."""
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    for f in form.fields:
        try:
            values[f.key] = clean_value(f, raw.get(f.key))
        except FieldValueError as exc:
            values[f.key] = " ".join(nfc(str(raw.get(f.key) or "")).split())
            problems[f.key] = str(exc)
            continue
        if f.required and not values[f.key]:
            problems[f.key] = _("Required.")
    return values, problems


def card_value(card: Any, source: str) -> str:
    """The card's value for `source` as the form writes it (a parsed `identity.cccd.CitizenCard`)."""
    name = source.removeprefix("card.")
    value = getattr(card, name, "") if source in SOURCES else ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value or "")


def prefill(
    form: FormSpec, *, current: Mapping[str, Any], card: Any = None, earlier: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The values to show: what is already there is never overwritten (the officer may have typed
    it); an empty field takes the card's value, else the applicant's last value for a re-used key."""
    earlier = earlier or {}
    out = {}
    for f in form.fields:
        mine = " ".join(nfc(str(current.get(f.key) or "")).split())
        value = mine or _from_card(f, card)
        if not value and f.reuse:
            value = str(earlier.get(f.key) or "")
        out[f.key] = value
    return out


def _from_card(f: FormField, card: Any) -> str:
    if not f.source or card is None:
        return ""
    value = card_value(card, f.source)
    if f.type == "choice":  # the option's own spelling, or nothing when no option matches
        return next((o for o in f.options if search_key(o) == search_key(value)), "")
    return value


def sections(form: FormSpec) -> list[tuple[str, list[FormField]]]:
    """The fields grouped by consecutive section headings, as the page and the PDF show them."""
    groups: list[tuple[str, list[FormField]]] = []
    for f in form.fields:
        if not groups or groups[-1][0] != f.section:
            groups.append((f.section, []))
        groups[-1][1].append(f)
    return groups
