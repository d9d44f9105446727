"""Which calendar applies where, and the in-process cache in front of it."""

from datetime import date, time

import pytest

from motcua.core.errors import ValidationFailed
from motcua.units.models import ServiceCenter
from motcua.workdays import services
from motcua.workdays.models import CalendarOverride, CalendarRevision, OverrideKind
from motcua.workdays.selectors import calendar_for, calendar_for_center, calendar_for_unit
from tests import factories

from .support import SATURDAY_MORNING_HOURS, at

pytestmark = pytest.mark.django_db

TUESDAY = date(2026, 3, 10)


def test_a_center_calendar_uses_its_office_hours_and_cutoff():
    # Given a ward open on Saturday mornings with a 16:00 cut-off
    center = factories.center(office_hours=SATURDAY_MORNING_HOURS.to_json(), cutoff=time(16, 0))
    calendar = calendar_for_center(center)
    # Then Saturday morning is office time and 15:30 on a weekday is still "today"
    assert calendar.same_day(at("2026-03-07 10:00")) == at("2026-03-07 11:30")
    assert calendar.same_day(at("2026-03-10 15:30")) == at("2026-03-10 17:00")


def test_a_province_day_off_applies_to_that_province_only():
    # Given province 82 gives its own day off on a Tuesday
    services.calendar_override_set(day=TUESDAY, kind=OverrideKind.DAY_OFF, province=factories.province("82"))
    center_82 = factories.center()
    # Then it is off for centers in 82, but not nationally nor in another province
    assert not calendar_for_center(center_82).is_working_day(TUESDAY)
    assert not calendar_for(province_code="82").is_working_day(TUESDAY)
    assert calendar_for().is_working_day(TUESDAY)
    assert calendar_for(province_code="01").is_working_day(TUESDAY)


def test_a_province_entry_replaces_the_national_one_for_the_same_date():
    province = factories.province("82")
    # Given the nation works Saturday 10 Jan 2026 and rests Friday 2 Jan, and 82 decides otherwise
    services.calendar_override_set(day=date(2026, 1, 10), kind=OverrideKind.DAY_OFF, province=province)
    services.calendar_override_set(day=date(2026, 1, 2), kind=OverrideKind.WORKDAY, province=province)
    calendar = calendar_for(province_code="82")
    assert not calendar.is_working_day(date(2026, 1, 10))
    assert calendar.is_working_day(date(2026, 1, 2))
    assert calendar_for().is_working_day(date(2026, 1, 10))


def test_a_cached_calendar_costs_one_query(django_assert_num_queries):
    center = factories.center()
    first = calendar_for_center(center)
    # Given a center freshly loaded without its commune (the province must still be found)
    fresh = ServiceCenter.objects.get(pk=center.pk)
    with django_assert_num_queries(1):
        assert calendar_for_center(fresh) is first
    # And loaded with its commune
    loaded = ServiceCenter.objects.select_related("commune").get(pk=center.pk)
    with django_assert_num_queries(1):
        assert calendar_for_center(loaded) is first
    calendar_for()
    with django_assert_num_queries(1):
        calendar_for()


def test_an_override_added_after_a_cached_call_is_seen_by_the_next_call():
    # Given a cached calendar in which Tuesday is worked
    center = factories.center()
    assert calendar_for_center(center).is_working_day(TUESDAY)
    assert calendar_for().is_working_day(TUESDAY)
    # When an administrator makes it a national day off
    services.calendar_override_set(day=TUESDAY, kind=OverrideKind.DAY_OFF, note="Nghỉ đột xuất")
    # Then the next calls see it
    assert not calendar_for_center(center).is_working_day(TUESDAY)
    assert not calendar_for().is_working_day(TUESDAY)
    # And removing it is seen as well
    services.calendar_override_delete(day=TUESDAY)
    assert calendar_for().is_working_day(TUESDAY)


def test_changed_office_hours_of_a_center_are_seen_at_once():
    center = factories.center()
    assert calendar_for_center(center).close_of(TUESDAY) == at("2026-03-10 17:00")
    center.office_hours = {str(d): [["08:00", "16:30"]] for d in range(5)}
    center.save()
    assert calendar_for_center(center).close_of(TUESDAY) == at("2026-03-10 16:30")


def test_without_a_revision_row_nothing_is_cached():
    # Given a database whose revision row is gone (e.g. flushed) and writes made behind the services
    CalendarRevision.objects.all().delete()
    assert calendar_for().is_working_day(TUESDAY)
    CalendarOverride.objects.create(day=TUESDAY, kind=OverrideKind.DAY_OFF)
    # Then the calendar is still read fresh
    assert not calendar_for().is_working_day(TUESDAY)


# -- unit codes (command line and API) -------------------------------------------------------------
def test_a_unit_code_selects_a_center_a_commune_or_a_province():
    province = factories.province("82")
    commune = factories.commune(code="30001", province_obj=province)
    factories.center(commune, agency_code="H82.30001", office_hours=SATURDAY_MORNING_HOURS.to_json())
    bare_commune = factories.commune(code="30002", province_obj=province)
    services.calendar_override_set(day=TUESDAY, kind=OverrideKind.DAY_OFF, province=province)

    for code in ("H82.30001", "30001"):
        calendar = calendar_for_unit(code)
        assert calendar.is_working_day(date(2026, 3, 7)), code  # the center's Saturday morning
        assert not calendar.is_working_day(TUESDAY), code  # the province's day off
    for code in (bare_commune.code, "82"):
        calendar = calendar_for_unit(code)
        assert not calendar.is_working_day(date(2026, 3, 7)), code
        assert not calendar.is_working_day(TUESDAY), code
    for code in (None, "", "  "):
        assert calendar_for_unit(code).is_working_day(TUESDAY)


@pytest.mark.parametrize("code", ["99999", "99", "H00.NOPE"])
def test_an_unknown_unit_code_is_refused(code):
    with pytest.raises(ValidationFailed) as caught:
        calendar_for_unit(code)
    assert caught.value.code == "unknown_unit"
    assert code in caught.value.message
