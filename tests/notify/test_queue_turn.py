"""The queue's "turn near" hook reaches the citizen's phone through the outbox, once per ticket."""

import pytest

from motcua.notify.models import OutboxMessage, ProvinceIntegration
from motcua.queueing import services
from tests.queueing.support import at, queue_center

pytestmark = pytest.mark.django_db
T = at("2026-03-02 08:00")


def test_a_virtual_ticket_three_ahead_gets_one_sms(django_capture_on_commit_callbacks):
    s = queue_center()
    ProvinceIntegration.objects.create(
        province=s.center.commune.province, sms_url="http://127.0.0.1:9/sms", citizen_channels="sms"
    )
    for _ in range(2):
        services.ticket_take(service=s.a, at=T)
    virtual = services.ticket_take(service=s.a, channel="online", phone="0912345678", at=T)
    services.ticket_take(service=s.a, at=T)
    for counter, officer in ((s.c1, s.officer), (s.c2, s.officer2)):
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_call_next(counter=counter, officer=officer, at=T)
    messages = list(OutboxMessage.objects.filter(kind="queue_turn_near"))
    assert len(messages) == 1
    sms = messages[0].payload["sms"]
    assert sms["to"] == "84912345678"
    assert virtual.code in sms["text"] and "con 1 nguoi truoc" in sms["text"]
