"""Writes to the working calendar. Admin, API and commands change overrides only through here."""

import uuid
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.units.models import Province

from .models import CalendarOverride, CalendarRevision, OverrideKind

NOTE_MAX_LENGTH = CalendarOverride._meta.get_field("note").max_length


def _province_code(province: Province | str | None) -> str | None:
    if province is None or province == "":
        return None
    return province.pk if isinstance(province, Province) else str(province)


def _check_day(day: date) -> None:
    # A datetime is a date subclass; accepting one would silently drop its time and zone.
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationFailed(
            _("The date of a calendar entry must be a date."), code="invalid_day", field="day"
        )


def calendar_revision_bump() -> str:
    """Give the calendar a new revision token so every process rebuilds its cached calendars."""
    token = uuid.uuid4().hex
    changed = CalendarRevision.objects.filter(pk=CalendarRevision.SINGLETON_PK).update(
        token=token, changed_at=timezone.now()
    )
    if not changed:
        CalendarRevision.objects.create(pk=CalendarRevision.SINGLETON_PK, token=token)
    return token


@transaction.atomic
def calendar_override_set(
    *, day: date, kind: str, province: Province | str | None = None, note: str = ""
) -> CalendarOverride:
    """Mark `day` as a day off or a make-up working day, nationally or for one province.

    Setting a date that already has an entry of the same scope replaces its kind and note.
    """
    _check_day(day)
    if kind not in OverrideKind.values:
        raise ValidationFailed(
            _('Unknown kind of calendar entry "%(kind)s".') % {"kind": kind},
            code="invalid_kind",
            field="kind",
        )
    note = nfc(note)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            _("The note is longer than %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )
    code = _province_code(province)
    if code is not None and not Province.objects.filter(pk=code).exists():
        raise ValidationFailed(
            _('No province has the code "%(code)s".') % {"code": code},
            code="unknown_province",
            field="province",
        )
    override, _created = CalendarOverride.objects.update_or_create(
        day=day, province_id=code, defaults={"kind": kind, "note": note}
    )
    calendar_revision_bump()
    return override


@transaction.atomic
def calendar_override_delete(*, day: date, province: Province | str | None = None) -> bool:
    """Remove the entry of `day` in that scope; the date falls back to the `holidays` package.

    Returns whether there was an entry to remove.
    """
    _check_day(day)
    deleted, _per_model = CalendarOverride.objects.filter(
        day=day, province_id=_province_code(province)
    ).delete()
    if deleted:
        calendar_revision_bump()
    return bool(deleted)
