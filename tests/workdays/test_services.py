"""Writing the calendar table."""

import unicodedata
from datetime import date, datetime

import pytest

from motcua.core.errors import ValidationFailed
from motcua.workdays import services
from motcua.workdays.models import CalendarOverride, CalendarRevision, OverrideKind
from tests import factories

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def token() -> str:
    return CalendarRevision.objects.get().token


def test_setting_an_entry_creates_it_then_replaces_it():
    before = token()
    # When a national day off is set, then the same date is set again as a working day
    services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF, note="Nghỉ")
    services.calendar_override_set(day=DAY, kind=OverrideKind.WORKDAY, note="Làm bù")
    # Then there is one entry with the last kind and note, and the revision moved on
    entry = CalendarOverride.objects.get(day=DAY)
    assert (entry.kind, entry.note, entry.province_id) == (OverrideKind.WORKDAY, "Làm bù", None)
    assert token() != before


def test_national_and_province_entries_for_one_date_live_side_by_side():
    services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF)
    services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF, province=factories.province("82"))
    services.calendar_override_set(day=DAY, kind=OverrideKind.WORKDAY, province="82")
    assert CalendarOverride.objects.filter(day=DAY).count() == 2
    assert CalendarOverride.objects.get(day=DAY, province="82").kind == OverrideKind.WORKDAY


def test_notes_are_stored_in_nfc():
    decomposed = unicodedata.normalize("NFD", "  Nghỉ lễ Quốc khánh ")
    entry = services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF, note=decomposed)
    assert entry.note == "Nghỉ lễ Quốc khánh"
    assert unicodedata.is_normalized("NFC", CalendarOverride.objects.get(day=DAY).note)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"day": DAY, "kind": "holiday"}, "invalid_kind"),
        ({"day": datetime(2026, 3, 10, 8, 0), "kind": OverrideKind.DAY_OFF}, "invalid_day"),
        ({"day": DAY, "kind": OverrideKind.DAY_OFF, "province": "00"}, "unknown_province"),
        ({"day": DAY, "kind": OverrideKind.DAY_OFF, "note": "x" * 301}, "note_too_long"),
    ],
)
def test_bad_entries_are_refused(kwargs, code):
    with pytest.raises(ValidationFailed) as caught:
        services.calendar_override_set(**kwargs)
    assert caught.value.code == code
    assert not CalendarOverride.objects.filter(day=DAY).exists()


def test_deleting_an_entry_reports_whether_there_was_one():
    services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF)
    after_set = token()
    assert services.calendar_override_delete(day=DAY) is True
    after_delete = token()
    assert after_delete != after_set
    # Deleting again changes nothing, not even the revision
    assert services.calendar_override_delete(day=DAY) is False
    assert token() == after_delete


def test_the_revision_row_is_recreated_when_missing():
    CalendarRevision.objects.all().delete()
    services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF)
    assert CalendarRevision.objects.get().pk == CalendarRevision.SINGLETON_PK
