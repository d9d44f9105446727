"""Webhooks: subscriptions per unit and event kind, signed payloads, delivered through the outbox."""

import json

import pytest

from motcua.dossiers import services
from motcua.notify import delivery, rules
from motcua.notify.models import OutboxMessage
from tests.dossiers.support import at, receive, staffed_center, version
from tests.notify.support import published, subscription

pytestmark = pytest.mark.django_db


def test_an_event_reaches_the_units_subscribers_signed(provider):
    s = staffed_center()
    v = version()
    mine = subscription(s.center, provider.url + "/mine", secret="khoa-bi-mat")
    only_returns = subscription(s.center, provider.url + "/returns", actions=["return"])
    subscription(staffed_center().center, provider.url + "/other-unit")
    dossier = published(lambda: receive(s, v, when=at("2026-03-02 09:00")))
    assert OutboxMessage.objects.filter(channel="webhook").count() == 1
    delivery.drain(now=at("2026-03-02 09:05"))
    [request] = provider.requests
    assert request["path"] == "/mine"
    body = json.loads(request["raw"])
    assert body["action"] == "intake" and body["dossier"] == dossier.code and body["to_state"] == "received"
    timestamp = request["headers"]["x-motcua-timestamp"]
    assert int(timestamp) == int(at("2026-03-02 09:05").timestamp())
    signature = request["headers"]["x-motcua-signature"]
    assert rules.verify("khoa-bi-mat", timestamp, request["raw"], signature, now=int(timestamp) + 10)
    assert not rules.verify("khoa-khac", timestamp, request["raw"], signature, now=int(timestamp))
    assert not rules.verify("khoa-bi-mat", timestamp, request["raw"], signature, now=int(timestamp) + 301)
    assert request["headers"]["idempotency-key"] == f"webhook:{mine.pk}:{dossier.pk}:1"
    assert only_returns.pk


def test_a_retry_an_hour_later_is_signed_with_a_fresh_timestamp(provider):
    s = staffed_center()
    subscription(s.center, provider.url + "/mine")
    published(lambda: receive(s, version(), when=at("2026-03-02 09:00")))
    provider.fail_next = 1
    delivery.drain(now=at("2026-03-02 09:00"))
    delivery.drain(now=at("2026-03-02 10:00"))
    first, second = provider.requests
    assert int(second["headers"]["x-motcua-timestamp"]) - int(first["headers"]["x-motcua-timestamp"]) == 3600
    assert first["raw"] == second["raw"]


def test_an_action_rolled_back_sends_nothing(provider):
    s = staffed_center()
    subscription(s.center, provider.url + "/mine")
    v = version()

    def failing():
        receive(s, v, when=at("2026-03-02 09:00"))
        raise RuntimeError("the transaction fails after the event")

    with pytest.raises(RuntimeError):
        published(failing)
    assert not OutboxMessage.objects.exists()
    delivery.drain(now=at("2026-03-02 10:00"))
    assert provider.requests == []


def test_the_subscriber_gets_the_dossiers_events_in_order(provider):
    s = staffed_center()
    subscription(s.center, provider.url + "/mine")
    d = published(lambda: receive(s, version(), when=at("2026-03-02 09:00")))
    provider.fail_next = 1
    published(
        lambda: services.dossier_act(actor=s.desk, dossier=d, action="transfer", at=at("2026-03-02 09:30"))
    )
    delivery.drain(now=at("2026-03-02 09:31"))  # intake fails; transfer must wait behind it
    assert [json.loads(r["raw"])["action"] for r in provider.requests] == ["intake"]
    delivery.drain(now=at("2026-03-02 09:40"))
    assert [json.loads(r["raw"])["action"] for r in provider.requests] == ["intake", "intake", "transfer"]
