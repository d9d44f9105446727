"""Each channel against its fake server; the fallback ZNS → SMS → e-mail with costs recorded."""

import email as email_parser
import json
from email import policy as email_policy

import pytest

from motcua.notify import delivery, listeners
from motcua.notify.models import OutboxMessage, Status
from tests import factories
from tests.notify.support import T0, integration, minutes

pytestmark = pytest.mark.django_db

CONTEXT = {
    "code": "H82.90001-260302-0001",
    "name": "Trần Thị Ánh Nguyệt",
    "procedure": "Đăng ký khai sinh",
    "due": "05/03/2026 17:00",
    "center": "Trung tâm Phục vụ hành chính công xã Mỹ An Hưng, tỉnh Đồng Tháp, Việt Nam " * 4,
    "url": "http://127.0.0.1:8000/tra-cuu/H82.90001-260302-0001?s=X",
}


def configured(provider, smtp=None, **kwargs):
    values = {
        "zns_url": provider.url + "/zns",
        "zns_access_token": "zalo-token",
        "sms_url": provider.url + "/sms",
        "sms_username": "motcua",
        "sms_password": "pw",
        "sms_brandname": "MOTCUA",
    }
    if smtp is not None:
        values.update(smtp_host="127.0.0.1", smtp_port=smtp.port, email_from="motcua@dongthap.gov.vn")
    values.update(kwargs)
    return integration(**values)


def citizen(n=1, *, phone="0909123456", email="nguyet@example.vn", kind="received"):
    from motcua.notify.models import MessageTemplate

    MessageTemplate.objects.get_or_create(
        province=None, kind=kind, channel="zns", defaults={"body": "-", "zns_template_id": "231456"}
    )
    return listeners.notify_citizen(
        key=f"citizen:test:{n}",
        kind=kind,
        context=CONTEXT,
        phone=phone,
        email=email,
        center=factories.center(),
        province_id="82",
        dossier_code=CONTEXT["code"],
        at=T0,
    )


def test_zns_request_has_the_documented_shape_and_its_cost(provider):
    configured(provider, zns_cost=250)
    message = citizen()
    assert message.channel == "zns" and message.fallback == ["sms", "email"]
    delivery.drain(now=T0)
    request = provider.requests[0]
    assert request["path"] == "/zns" and request["headers"]["access_token"] == "zalo-token"
    body = request["json"]
    assert set(body) == {"phone", "template_id", "template_data", "tracking_id"}
    assert body["phone"] == "84909123456" and body["template_id"] == "231456"
    assert body["tracking_id"] == message.key
    data = body["template_data"]
    assert data["ma_ho_so"] == CONTEXT["code"] and data["ten"] == "Trần Thị Ánh Nguyệt"
    assert len(data["noi_nhan"]) <= 200 and data["noi_nhan"].endswith("…")
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.cost == 250


def test_sms_is_sent_without_diacritics_and_costs_per_segment(provider):
    configured(provider, citizen_channels="sms", sms_cost=700)
    message = citizen()
    delivery.drain(now=T0)
    body = provider.requests[0]["json"]
    assert body["phone"] == "84909123456" and body["brandname"] == "MOTCUA"
    assert body["request_id"] == message.key
    assert body["message"].isascii() and body["message"].startswith("Ho so H82.90001-260302-0001 da duoc")
    message.refresh_from_db()
    segments = 1 if len(body["message"]) <= 160 else -(-len(body["message"]) // 153)
    assert message.cost == 700 * segments


def test_email_goes_through_a_real_smtp_server(provider, smtp):
    configured(provider, smtp, citizen_channels="email")
    message = citizen()
    delivery.drain(now=T0)
    message.refresh_from_db()
    assert message.status == Status.DELIVERED and message.cost == 0
    [mail] = smtp.messages
    assert mail["to"] == ["nguyet@example.vn"] and mail["from"] == "motcua@dongthap.gov.vn"
    text = mail["data"].decode()
    assert f"<{message.key}@motcua>" in text
    parsed = email_parser.message_from_bytes(mail["data"], policy=email_policy.default)
    assert parsed["subject"].strip() == "Hồ sơ H82.90001-260302-0001 đã được tiếp nhận"
    assert "Kính gửi Trần Thị Ánh Nguyệt" in parsed.get_content()


def test_an_smtp_server_that_is_down_means_a_retry(provider, smtp):
    configured(provider, citizen_channels="email")
    integration(smtp_host="127.0.0.1", smtp_port=1)  # nothing listens there
    message = citizen()
    delivery.drain(now=T0)
    message.refresh_from_db()
    assert message.status == Status.PENDING and "SMTP" in message.last_error


def test_no_zalo_account_falls_back_to_sms_at_once(provider):
    configured(provider)
    provider.no_zalo.add("84909123456")
    first = citizen()
    delivery.drain(now=T0)
    first.refresh_from_db()
    assert first.status == Status.FELL_BACK and first.attempts == 1
    sms = OutboxMessage.objects.get(previous=first)
    assert sms.channel == "sms" and sms.status == Status.DELIVERED and sms.cost > 0
    assert [r["path"] for r in provider.requests] == ["/zns", "/sms"]


def test_the_whole_chain_zns_sms_email_with_each_cost_recorded(provider, smtp, settings):
    settings.MOTCUA_NOTIFY = {"CITIZEN_MAX_ATTEMPTS": 2, "BREAKER_THRESHOLD": 100}
    configured(provider, smtp, zns_cost=300, sms_cost=700)
    provider.down = True  # both the ZNS and the SMS gateway are down
    first = citizen()
    now = T0
    for _ in range(6):
        delivery.drain(now=now)
        now += minutes(30)
    chain = list(OutboxMessage.objects.order_by("id"))
    assert [(m.channel, m.status) for m in chain] == [
        ("zns", Status.FELL_BACK),
        ("sms", Status.FELL_BACK),
        ("email", Status.DELIVERED),
    ]
    assert [m.attempts for m in chain] == [2, 2, 1]
    assert [m.cost for m in chain] == [0, 0, 0]  # failed attempts cost nothing; e-mail is free
    assert chain[2].previous_id == chain[1].pk and chain[1].previous_id == first.pk
    assert len(smtp.messages) == 1


def test_a_citizen_without_phone_gets_email_and_without_anything_nothing(provider):
    configured(provider)
    assert citizen(1, phone="").channel == "email"
    assert citizen(2, phone="", email="") is None


def test_a_province_template_replaces_the_default(provider):
    from motcua.notify.models import MessageTemplate

    configured(provider, citizen_channels="sms")
    MessageTemplate.objects.create(
        province=factories.province(), kind="received", channel="sms", body="Đã nhận hồ sơ {code}."
    )
    citizen()
    delivery.drain(now=T0)
    assert provider.requests[0]["json"]["message"] == "Da nhan ho so H82.90001-260302-0001."


def test_template_checks_and_preview():
    from motcua.notify import wording

    assert wording.problems(channel="sms", body="Ho so {code} da xong") == []
    assert "Unknown placeholders: {nope}" not in wording.problems(channel="sms", body="{nope}")
    assert wording.problems(channel="sms", body="{nope}")[0].startswith("Chỗ điền không có")
    long = wording.problems(channel="sms", body="Hồ sơ {procedure} " + "x" * 150)
    assert long and "160" in long[0]
    assert wording.problems(channel="email", body="x") == ["Thư điện tử cần có tiêu đề."]
    assert wording.problems(channel="zns", body="")
    preview = wording.preview(channel="sms", body="Hồ sơ {code} đã có kết quả")
    assert preview.startswith("Ho so H82.29242-261008-0975 da co ket qua") and "1 SMS" in preview
    for kind, texts in wording.DEFAULTS.items():
        assert wording.problems(channel="sms", body=texts["sms"]) == [], kind
        assert wording.problems(channel="email", subject=texts["email"][0], body=texts["email"][1]) == []


def test_the_shipped_templates_render_in_vietnamese():
    from motcua.notify import wording

    texts = wording.texts("82", "reappointed")
    subject, body = texts["email"]
    assert "xin lỗi" in wording.render(body, CONTEXT)
    assert json.dumps(wording.zns_data(CONTEXT), ensure_ascii=False)
