"""Which dossier events tell the citizen what, and that the text carries the dossier's facts."""

from datetime import date

import pytest

from motcua.dossiers import services
from motcua.notify import delivery
from motcua.notify.models import OutboxMessage
from tests.dossiers.support import APPLICANT, at, receive, staffed_center, version
from tests.notify.support import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return staffed_center()


def emails(**filters):
    return list(OutboxMessage.objects.filter(channel="email", **filters).order_by("id"))


def test_received_supplement_reappointment_and_result_each_tell_the_citizen(s):
    from dataclasses import replace

    applicant = replace(APPLICANT, email="nguyet@example.vn")
    v = version()
    d = published(lambda: receive(s, v, when=at("2026-03-02 09:00"), applicant=applicant))
    [received] = emails()
    assert received.kind == "received" and received.recipient == "nguyet@example.vn"
    body = received.payload["email"]["body"]
    assert d.code in body and "05/03/2026 17:00" in body and f"?s={d.secret}" in body

    def act(actor, action, when, **kw):
        return published(
            lambda: services.dossier_act(actor=actor, dossier=d, action=action, at=at(when), **kw)
        )

    d = act(s.desk, "transfer", "2026-03-02 09:30")
    d = act(s.specialist, "request_supplement", "2026-03-02 10:00", reason="Thiếu giấy chứng sinh")
    assert emails()[-1].kind == "supplement_requested"
    assert "Thiếu giấy chứng sinh" in emails()[-1].payload["email"]["body"]
    d = act(s.desk, "supplement", "2026-03-03 09:00")
    d = act(s.leader, "reappoint", "2026-03-03 10:00", reason="Cần xác minh thêm", new_due=date(2026, 3, 12))
    assert emails()[-1].kind == "reappointed"
    assert "xin lỗi" in emails()[-1].payload["email"]["body"]
    assert "12/03/2026" in emails()[-1].payload["email"]["body"]
    d = act(s.specialist, "forward", "2026-03-04 09:00")
    d = act(s.leader, "approve", "2026-03-04 10:00")
    d = act(s.specialist, "forward", "2026-03-04 11:00")
    assert d.state == "result_ready"
    assert [m.kind for m in emails()] == ["received", "supplement_requested", "reappointed", "result_ready"]
    assert "đã có kết quả" in emails()[-1].payload["email"]["subject"]


def test_no_contact_no_citizen_message(s):
    published(lambda: receive(s, version(), when=at("2026-03-02 09:00")))  # phone but no SMS set up
    assert not OutboxMessage.objects.exists()


def test_the_rolled_back_intake_leaves_nothing_to_deliver(s, smtp):
    from dataclasses import replace

    v = version()

    def failing():
        receive(s, v, when=at("2026-03-02 09:00"), applicant=replace(APPLICANT, email="a@example.vn"))
        raise RuntimeError

    with pytest.raises(RuntimeError):
        published(failing)
    assert delivery.drain(now=at("2026-03-02 10:00")).claimed == 0
    assert smtp.messages == []
