"""The payments API: scoped by unit and role, 422/403/404 with detail and code, idempotent writes."""

import pytest

from motcua.payments import services
from motcua.payments.models import Payment, Receipt
from tests.payments import support


@pytest.fixture
def setup(client):
    staffed = support.staffed_center()
    support.account(staffed.center)
    dossier = support.receive(staffed, support.priced_version())
    client.force_login(staffed.desk)
    return staffed, dossier


@pytest.mark.django_db
def test_fees_of_a_dossier(client, setup):
    _staffed, dossier = setup
    body = client.get(f"/api/v1/dossiers/{dossier.code}/fees").json()
    assert (body["status"], body["owed"], body["fee"], body["charge"]) == ("unpaid", 25000, 5000, 20000)
    assert body["vietqr"].startswith("000201010212") and f"{dossier.code}" in body["vietqr"]


@pytest.mark.django_db
def test_other_units_see_nothing(client, setup):
    _staffed, dossier = setup
    client.force_login(support.staffed_center().desk)
    response = client.get(f"/api/v1/dossiers/{dossier.code}/fees")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_exemption_without_reason_is_422(client, setup):
    _staffed, dossier = setup
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/fees/exempt", {"reason": " "}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == "reason"
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/fees/exempt",
        {"reason": "Hộ nghèo, Nghị quyết HĐND tỉnh", "positions": [3]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["owed"] == 20000


@pytest.mark.django_db
def test_cash_over_the_api_is_idempotent(client, setup):
    _staffed, dossier = setup
    url = f"/api/v1/dossiers/{dossier.code}/cash"
    first = client.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["total_words"] == "Hai mươi lăm nghìn đồng"
    assert Receipt.objects.count() == 1
    third = client.post(url, {}, content_type="application/json")
    assert third.status_code == 409


@pytest.mark.django_db
def test_specialist_cannot_collect(client, setup):
    staffed, dossier = setup
    client.force_login(staffed.specialist)
    response = client.post(f"/api/v1/dossiers/{dossier.code}/cash", {}, content_type="application/json")
    assert response.status_code == 403 and not Payment.objects.exists()


@pytest.mark.django_db
def test_exceptions_list_and_resolve(client, setup):
    _staffed, dossier = setup
    payment, _ = services.transfer_record(
        transfer=services.Transfer("bank", "X1", 30000, dossier.code, support.ACCOUNT, support.BIN)
    )
    listed = client.get("/api/v1/payments/exceptions").json()
    assert [p["exception"] for p in listed] == ["overpaid"]
    bad = client.post(
        f"/api/v1/payments/{payment.pk}/resolve", {"action": "burn"}, content_type="application/json"
    )
    assert bad.status_code == 422
    ok = client.post(
        f"/api/v1/payments/{payment.pk}/resolve",
        {"action": "refund", "note": "Hoàn 30.000 đồng qua ngân hàng"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "refunded"
    assert client.get("/api/v1/payments/exceptions").json() == []
    body = client.get("/api/v1/payments/reconciliation?day=2026-03-02").json()
    assert "rows" in body


def _province_priced(staffed):
    from motcua.catalog.models import Fee
    from tests.dossiers import support as dossier_support

    version = dossier_support.version(name="Cấp giấy phép xây dựng")
    Fee.objects.create(version=version, position=1, name="Lệ phí cấp giấy phép", kind="set_by_province")
    return support.receive(staffed, version)


@pytest.mark.django_db
def test_a_line_the_province_sets_gets_its_amount_once(client, setup):
    staffed, _dossier = setup
    dossier = _province_priced(staffed)
    url = f"/api/v1/dossiers/{dossier.code}/fees/1/amount"
    assert client.get(f"/api/v1/dossiers/{dossier.code}/fees").json()["status"] == "unpriced"
    for bad in ({"amount": -1}, {"amount": "năm mươi"}, {}):
        assert client.post(url, bad, content_type="application/json").status_code == 422, bad
    set_ = client.post(url, {"amount": 50000}, content_type="application/json")
    assert set_.status_code == 200 and (set_.json()["status"], set_.json()["owed"]) == ("unpaid", 50000)
    again = client.post(url, {"amount": 60000}, content_type="application/json")
    assert again.status_code == 409
    missing = client.post(
        f"/api/v1/dossiers/{dossier.code}/fees/7/amount", {"amount": 1}, content_type="application/json"
    )
    assert missing.status_code == 422 and missing.json()["field"] == "position"


@pytest.mark.django_db
def test_the_cash_page_enters_a_province_amount_and_exempts_with_a_reason(client, setup):
    staffed, _dossier = setup
    dossier = _province_priced(staffed)
    url = f"/ho-so/{dossier.code}/thu-tien/"
    page = client.get(url).content.decode()
    assert "Ghi số tiền" in page and "Miễn phí, lệ phí" in page
    refused = client.post(url, {"op": "amount", "position": "1", "amount": "mười"})
    assert refused.status_code == 422 and "Số tiền phải là số nguyên" in refused.content.decode()
    assert client.post(url, {"op": "amount", "position": "1", "amount": "150.000"}).status_code == 303
    page = client.get(url).content.decode()
    assert "150.000" in page and "Ghi số tiền" not in page
    no_reason = client.post(url, {"op": "exempt", "reason": " "})
    assert no_reason.status_code == 422
    assert (
        client.post(url, {"op": "exempt", "reason": "Hộ nghèo (Nghị định 07/2021/NĐ-CP)"}).status_code == 303
    )
    assert client.get(f"/api/v1/dossiers/{dossier.code}/fees").json()["owed"] == 0
