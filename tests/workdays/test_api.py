"""GET /api/v1/calendar/due."""

from datetime import time

import pytest

from tests import factories

from .support import SATURDAY_MORNING_HOURS

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due"


def test_the_due_instant_of_working_days_across_tet(client):
    response = client.get(URL, {"received": "2026-02-13T10:00+07:00", "limit": "3 working days"})
    assert response.status_code == 200
    assert response.json() == {"due": "2026-02-25T17:00+07:00"}


def test_a_plus_sign_that_arrived_as_a_space_is_restored(client):
    # Given a client that did not encode the "+" of the offset
    response = client.get(f"{URL}?received=2026-02-13T10:00+07:00&limit=same+day")
    assert response.status_code == 200
    assert response.json() == {"due": "2026-02-13T17:00+07:00"}


def test_other_offsets_are_accepted_and_answered_at_plus_seven(client):
    response = client.get(URL, {"received": "2026-03-10T03:30Z", "limit": "4 working hours"})
    assert response.json() == {"due": "2026-03-10T16:00+07:00"}


def test_a_unit_selects_its_hours_and_cutoff(client):
    factories.center(
        factories.commune(code="30011"),
        agency_code="H82.30011",
        office_hours=SATURDAY_MORNING_HOURS.to_json(),
        cutoff=time(16, 0),
    )
    for unit in ("H82.30011", "30011"):
        response = client.get(URL, {"received": "2026-03-10T15:30+07:00", "limit": "same day", "unit": unit})
        assert response.json() == {"due": "2026-03-10T17:00+07:00"}, unit
    response = client.get(
        URL, {"received": "2026-03-06T16:00+07:00", "limit": "2 working hours", "unit": "30011"}
    )
    assert response.json() == {"due": "2026-03-07T08:30+07:00"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"received": "13/02/2026 10:00", "limit": "3 working days"}, "invalid_received"),
        ({"received": "2026-02-13T10:00", "limit": "3 working days"}, "naive_received"),
        ({"received": "2026-02-13T10:00+07:00", "limit": "soon"}, "invalid_limit"),
        ({"received": "2026-02-13T10:00+07:00", "limit": "0 working days"}, "invalid_limit"),
        ({"received": "2026-02-13T10:00+07:00", "limit": "3 working days", "unit": "99999"}, "unknown_unit"),
        ({"limit": "3 working days"}, "invalid"),
    ],
)
def test_bad_input_is_a_422_with_a_clear_message(client, params, code):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
