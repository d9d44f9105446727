"""The admin edits the calendar table through the services."""

from datetime import date

import pytest

from motcua.workdays import services
from motcua.workdays.models import CalendarOverride, CalendarRevision, OverrideKind
from motcua.workdays.selectors import calendar_for
from tests import factories


@pytest.fixture(autouse=True)
def _english():
    # These tests read the English wording; the Vietnamese catalogs are checked in test_translations.
    from django.utils import translation

    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

URL = "/admin/workdays/calendaroverride/"
DAY = date(2026, 3, 10)


@pytest.fixture
def admin_client(client):
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    return client


def token() -> str:
    return CalendarRevision.objects.get().token


def test_adding_a_day_off_in_the_admin_changes_the_calendar(admin_client):
    assert calendar_for().is_working_day(DAY)
    before = token()
    # When an administrator adds a national day off
    response = admin_client.post(
        f"{URL}add/", {"day": "2026-03-10", "kind": OverrideKind.DAY_OFF, "province": "", "note": "Nghỉ"}
    )
    # Then it is saved through the service: the revision moved and the calendar sees it
    assert response.status_code == 302, response.content
    assert CalendarOverride.objects.get(day=DAY).note == "Nghỉ"
    assert token() != before
    assert not calendar_for().is_working_day(DAY)


def test_a_second_national_entry_for_a_date_is_refused_with_a_clear_message(admin_client):
    response = admin_client.post(
        f"{URL}add/", {"day": "2026-01-02", "kind": OverrideKind.WORKDAY, "province": "", "note": ""}
    )
    assert response.status_code == 200
    assert "Lịch toàn quốc đã có mục cho ngày này." in response.content.decode()


def test_changing_an_entry_keeps_its_date_and_scope(admin_client):
    entry = CalendarOverride.objects.get(day=date(2026, 1, 10), province=None)
    response = admin_client.get(f"{URL}{entry.pk}/change/")
    assert response.status_code == 200
    response = admin_client.post(
        f"{URL}{entry.pk}/change/", {"kind": OverrideKind.DAY_OFF, "note": "Không làm bù"}
    )
    assert response.status_code == 302, response.content
    entry.refresh_from_db()
    assert (entry.day, entry.kind, entry.note) == (date(2026, 1, 10), OverrideKind.DAY_OFF, "Không làm bù")
    assert not calendar_for().is_working_day(date(2026, 1, 10))


def test_deleting_entries_one_or_many_goes_through_the_service(admin_client):
    entry = CalendarOverride.objects.get(day=date(2026, 1, 10), province=None)
    before = token()
    response = admin_client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert token() != before
    assert not calendar_for().is_working_day(date(2026, 1, 10))

    tet = CalendarOverride.objects.filter(day__range=(date(2026, 2, 16), date(2026, 2, 20)))
    response = admin_client.post(
        URL,
        {
            "action": "delete_selected",
            "_selected_action": list(tet.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not tet.exists()
    # Without the table the `holidays` package still knows Tết
    assert not calendar_for().is_working_day(date(2026, 2, 17))


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 29),  # the 28 shipped national entries and one of province 82
        ("?year=2025", 13),
        ("?year=2026&kind=workday", 2),
        ("?province__isnull=True&kind=day_off", 25),
        ("?province__code__exact=82", 1),
    ],
)
def test_the_list_filters_by_year_kind_and_province(admin_client, query, count):
    services.calendar_override_set(day=DAY, kind=OverrideKind.DAY_OFF, province=factories.province("82"))
    response = admin_client.get(f"{URL}{query}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
