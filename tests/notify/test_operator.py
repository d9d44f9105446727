"""The operator's outbox page and API: scoped by unit, filtered, retry and cancel."""

import pytest
from django.test import Client

from motcua.notify import delivery
from motcua.notify.models import OutboxMessage, Status
from motcua.units.models import Role
from tests import factories
from tests.notify.support import T0, minutes, subscription, webhook_message
from tests.staff.support import signed_in, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(provider, settings):
    settings.MOTCUA_NOTIFY = {"MAX_ATTEMPTS": 1}
    ours, theirs = factories.center(), factories.center()
    sub = subscription(ours, provider.url + "/a")
    other = subscription(theirs, provider.url + "/b")
    provider.down = True
    dead = webhook_message(sub, 1)
    webhook_message(other, 2)
    delivery.drain(now=T0)
    provider.down = False
    webhook_message(sub, 3, at=T0 + minutes(1))
    return ours, dead


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}")


def test_the_page_lists_only_the_units_messages_and_filters_them(two_units):
    ours, dead = two_units
    client = signed_in(factories.user(Role.SPECIALIST, center_obj=ours))
    page = client.get("/thong-bao/").content.decode()
    assert page.count('id="m-') == 2
    page = client.get("/thong-bao/?status=dead").content.decode()
    assert f'id="m-{dead.pk}"' in page and page.count('id="m-') == 1
    assert client.get("/thong-bao/?status=delivered&channel=webhook").content.decode().count('id="m-') == 0


def test_a_leader_retries_a_dead_message_from_the_page(two_units, provider):
    ours, dead = two_units
    client = verified_client(factories.user(Role.LEADER, center_obj=ours))
    response = client.post(f"/thong-bao/{dead.pk}/gui-lai/", {"next": "/thong-bao/?status=dead"})
    assert response.status_code == 302 and response["Location"] == "/thong-bao/?status=dead"
    dead.refresh_from_db()
    assert dead.status == Status.PENDING and dead.attempts == 0


def test_a_specialist_cannot_cancel_and_is_told_why(two_units):
    ours, dead = two_units
    client = signed_in(factories.user(Role.SPECIALIST, center_obj=ours))
    page = client.post(f"/thong-bao/{dead.pk}/huy/", follow=True).content.decode()
    assert "Chỉ lãnh đạo hoặc quản trị" in page
    assert OutboxMessage.objects.get(pk=dead.pk).status == Status.DEAD


def test_the_api_lists_filters_retries_and_cancels_within_scope(two_units):
    ours, dead = two_units
    leader = factories.user(Role.LEADER, center_obj=ours)
    client = api(leader)
    rows = client.get("/api/v1/outbox/").json()
    assert len(rows) == 2
    assert [r["id"] for r in client.get("/api/v1/outbox/?status=dead").json()] == [dead.pk]
    assert client.post(f"/api/v1/outbox/{dead.pk}/cancel").json()["status"] == "cancelled"
    assert client.post(f"/api/v1/outbox/{dead.pk}/retry").json()["status"] == "pending"
    stranger = OutboxMessage.objects.exclude(center=ours).get()
    answer = client.post(f"/api/v1/outbox/{stranger.pk}/retry")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    delivered = client.post(f"/api/v1/outbox/{dead.pk}/cancel")
    assert delivered.status_code == 200
    again = client.post(f"/api/v1/outbox/{dead.pk}/cancel")
    assert again.status_code == 409 and again.json()["code"] == "not_cancellable"


def test_leaders_find_the_page_in_the_staff_menu(two_units):
    ours, _dead = two_units
    leader_page = verified_client(factories.user(Role.LEADER, center_obj=ours)).get("/thong-bao/")
    assert 'href="/thong-bao/" aria-current="page"' in leader_page.content.decode()
    desk_page = signed_in(factories.user(Role.DESK_OFFICER, center_obj=ours)).get("/thong-bao/")
    assert 'href="/thong-bao/"' not in desk_page.content.decode()
