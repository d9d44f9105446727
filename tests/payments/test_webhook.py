"""The bank webhook: signature, idempotency, matching by code and exact amount, exceptions."""

import json

import pytest
from django.db import connection

from motcua.dossiers.models import DossierEvent
from motcua.payments import selectors, services
from motcua.payments.models import Payment, RejectedNotification
from tests.payments import support

SECRET = "whsec-test-0123456789"
URL = "/thanh-toan/ngan-hang/webhook/"


@pytest.fixture
def paid_setup(settings):
    settings.MOTCUA_BANK_WEBHOOK_SECRET = SECRET
    staffed = support.staffed_center()
    support.account(staffed.center)
    dossier = support.receive(staffed, support.priced_version())
    return staffed, dossier


def post(client, body: bytes, signature: str | None = "auto"):
    headers = {}
    if signature == "auto":
        signature = support.sign(SECRET, body)
    if signature is not None:
        headers["HTTP_X_SIGNATURE"] = signature
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_signed_exact_transfer_marks_the_dossier_paid_with_an_event(client, paid_setup):
    _staffed, dossier = paid_setup
    body = support.webhook_body(description=f"CT tu 0909 {dossier.code} nop le phi", amount=25000)
    response = post(client, body)
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert selectors.dossier_balance(dossier).status == "paid"
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event.action == "payment_confirmed" and event.payload["amount"] == 25000
    track = client.get(f"/tra-cuu/{dossier.code}/?s={dossier.secret}")
    assert "đã thanh toán" in track.content.decode()


@pytest.mark.django_db
def test_the_code_is_found_when_the_bank_drops_dots_and_dashes(client, paid_setup):
    _staffed, dossier = paid_setup
    squashed = dossier.code.replace(".", "").replace("-", "")
    post(client, support.webhook_body(description=f"NOP PHI {squashed}", amount=25000))
    assert Payment.objects.get().status == "confirmed"


@pytest.mark.django_db
@pytest.mark.parametrize("signature", [None, "", "deadbeef", "sha256=" + "0" * 64])
def test_unsigned_or_wrongly_signed_is_refused_and_logged(client, paid_setup, signature):
    _staffed, dossier = paid_setup
    body = support.webhook_body(description=dossier.code)
    response = post(client, body, signature)
    assert response.status_code == 401
    assert not Payment.objects.exists()
    assert RejectedNotification.objects.filter(source="bank").count() == 1


@pytest.mark.django_db
def test_a_body_signed_with_another_secret_is_refused(client, paid_setup):
    _staffed, dossier = paid_setup
    body = support.webhook_body(description=dossier.code)
    assert post(client, body, support.sign("other", body)).status_code == 401
    # the signature covers the body: the right signature of another body fails too
    other = support.webhook_body(description=dossier.code, amount=1)
    assert post(client, body, support.sign(SECRET, other)).status_code == 401
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_no_secret_configured_refuses_everything(client, paid_setup, settings):
    settings.MOTCUA_BANK_WEBHOOK_SECRET = ""
    body = support.webhook_body()
    assert post(client, body, support.sign("", body)).status_code == 401


@pytest.mark.django_db
def test_replays_are_idempotent(client, paid_setup):
    _staffed, dossier = paid_setup
    body = support.webhook_body(description=dossier.code, amount=25000)
    for _ in range(3):
        assert post(client, body).json()["success"] is True
    assert Payment.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action="payment_confirmed").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "description, amount, kind",
    [
        ("chuyen tien an trua", 25000, "unmatched"),
        ("H99.99.99.99-991231-9999", 25000, "unmatched"),
        (None, 20000, "underpaid"),
        (None, 30000, "overpaid"),
    ],
)
def test_anything_not_exact_becomes_an_exception(client, paid_setup, description, amount, kind):
    _staffed, dossier = paid_setup
    post(client, support.webhook_body(description=description or dossier.code, amount=amount))
    payment = Payment.objects.get()
    assert (payment.status, payment.exception_kind) == ("exception", kind)
    assert selectors.dossier_balance(dossier).status == "unpaid"
    assert not DossierEvent.objects.filter(dossier=dossier, action="payment_confirmed").exists()


@pytest.mark.django_db
def test_paying_twice_is_an_exception_and_reordered_deliveries_settle_once(client, paid_setup):
    _staffed, dossier = paid_setup
    second = support.webhook_body(transaction_id="FT-B", description=dossier.code, amount=25000)
    first = support.webhook_body(transaction_id="FT-A", description=dossier.code, amount=25000)
    post(client, second)
    post(client, first)
    post(client, second)
    statuses = sorted(Payment.objects.values_list("provider_txn_id", "status", "exception_kind"))
    assert statuses == [("FT-A", "exception", "duplicate"), ("FT-B", "confirmed", "")]


@pytest.mark.django_db
def test_malformed_but_signed_body_is_422(client, paid_setup):
    body = json.dumps({"transaction_id": "X", "amount": "abc"}).encode()
    response = post(client, body)
    assert response.status_code == 422 and response.json()["field"] == "amount"
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_an_officer_resolves_exceptions_by_attaching_or_refunding(paid_setup):
    staffed, dossier = paid_setup
    under, _ = services.transfer_record(
        transfer=services.Transfer("bank", "T1", 20000, f"{dossier.code}", support.ACCOUNT, support.BIN)
    )
    stray, _ = services.transfer_record(
        transfer=services.Transfer("bank", "T2", 5000, "tien nha", support.ACCOUNT, support.BIN)
    )
    from motcua.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.payment_attach(actor=staffed.specialist, payment=under, dossier=dossier)
    services.payment_attach(actor=staffed.desk, payment=under, dossier=dossier, note="Gọi điện xác nhận")
    services.payment_attach(actor=staffed.desk, payment=stray, dossier=dossier, note="Người nộp bổ sung")
    assert selectors.dossier_balance(dossier).status == "paid"
    refund, _ = services.transfer_record(
        transfer=services.Transfer("bank", "T3", 25000, dossier.code, support.ACCOUNT, support.BIN)
    )
    assert refund.exception_kind == "duplicate"
    services.payment_refund(actor=staffed.desk, payment=refund, note="Hoàn trả qua ngân hàng ngày 03/03")
    refund.refresh_from_db()
    assert refund.status == "refunded"
    assert selectors.exceptions_for_user(staffed.desk).count() == 0


@pytest.mark.django_db
def test_exceptions_are_scoped_to_the_officers_center(paid_setup):
    staffed, dossier = paid_setup
    services.transfer_record(transfer=services.Transfer("bank", "T1", 1000, dossier.code, support.ACCOUNT))
    other = support.staffed_center()
    assert selectors.exceptions_for_user(staffed.desk).count() == 1
    assert selectors.exceptions_for_user(other.desk).count() == 0


@pytest.mark.django_db
def test_common_intermediary_field_names_are_understood(client, paid_setup):
    _staffed, dossier = paid_setup
    body = json.dumps(
        {
            "id": 92704,
            "gateway": "ACB",
            "transactionDate": "2026-03-02 10:15:00",
            "accountNumber": support.ACCOUNT,
            "content": f"NOP PHI {dossier.code}",
            "transferType": "in",
            "transferAmount": 25000,
            "referenceCode": "MBVCB.3278907687",
        }
    ).encode()
    assert post(client, body).json()["success"] is True
    payment = Payment.objects.get()
    assert (payment.provider_txn_id, payment.status, payment.account.account_number) == (
        "92704",
        "confirmed",
        support.ACCOUNT,
    )
    outgoing = json.dumps({"id": 1, "transferType": "out", "transferAmount": 5, "content": "x"}).encode()
    assert post(client, outgoing).status_code == 422


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent writers need PostgreSQL",
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_settle_a_dossier_once():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    staffed = support.staffed_center()
    support.account(staffed.center)
    dossier = support.receive(staffed, support.priced_version())
    start = threading.Barrier(12)

    def deliver(n):
        try:
            start.wait()
            txn = "SAME" if n < 6 else f"OTHER-{n}"  # six replays of one, six different transfers
            transfer = services.Transfer("bank", txn, 25000, dossier.code, support.ACCOUNT, support.BIN)
            return services.transfer_record(transfer=transfer)[0].pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(deliver, range(12)))
    assert Payment.objects.filter(provider_txn_id="SAME").count() == 1
    assert Payment.objects.count() == 7
    assert Payment.objects.filter(status="confirmed").count() == 1
    assert Payment.objects.filter(status="exception", exception_kind="duplicate").count() == 6
    assert DossierEvent.objects.filter(dossier=dossier, action="payment_confirmed").count() == 1


@pytest.mark.django_db
def test_a_code_longer_than_a_purpose_is_paid_by_its_letters_and_digits(client, settings):
    """A long agency code makes a dossier code over the 25 characters of a transfer purpose: the
    QR carries its letters and digits (22 here), and the bank's webhook finds the dossier by them."""
    settings.MOTCUA_BANK_WEBHOOK_SECRET = SECRET
    staffed = support.staffed_center()
    staffed.center.agency_code = "000.00.12.H57.01"
    staffed.center.save()
    support.account(staffed.center)
    dossier = support.receive(staffed, support.priced_version())
    assert len(dossier.code) > 25
    qr = selectors.dossier_vietqr(dossier)
    assert qr["purpose"] == dossier.code.replace(".", "").replace("-", "")
    assert f"08{len(qr['purpose']):02d}{qr['purpose']}" in qr["payload"]
    post(client, support.webhook_body(description=f"IBFT {qr['purpose']}", amount=25000))
    assert selectors.dossier_balance(dossier).status == "paid"
