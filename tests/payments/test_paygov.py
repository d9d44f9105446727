"""The PayGov adapter against a fake platform: start, signed callback, forged callback refused."""

import json

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.models import DossierEvent
from motcua.payments import paygov, selectors
from motcua.payments.models import PayGovTransaction, Payment, RejectedNotification
from tests.payments import support
from tests.payments.fake_paygov import FakePayGov

KEY = "paygov-shared-hash-key"
URL = "/thanh-toan/paygov/callback/"


@pytest.fixture
def platform(settings):
    with FakePayGov(KEY) as fake:
        settings.MOTCUA_PAYGOV_URL = fake.url
        settings.MOTCUA_PAYGOV_PARTNER = "MOTCUA82"
        settings.MOTCUA_PAYGOV_HASH_KEY = KEY
        yield fake


@pytest.fixture
def dossier():
    staffed = support.staffed_center()
    support.account(staffed.center)
    return support.submit_online(staffed, support.priced_version())


def _post(client, message):
    return client.post(URL, data=json.dumps(message), content_type="application/json")


@pytest.mark.django_db
def test_start_sends_the_domain_fields_signed_and_returns_the_pay_address(platform, dossier):
    tx = paygov.paygov_start(dossier=dossier, ip="10.0.0.5")
    (sent,) = platform.received
    assert platform.bad_signatures == 0
    for name in paygov.REQUEST_FIELDS:
        assert name in sent
    assert sent["SoTien"] == 10000 and sent["MaDoiTac"] == "MOTCUA82" and sent["Ip"] == "10.0.0.5"
    assert len(sent["ThoiGianGD"]) == 14 and sent["ThoiGianGD"].isdigit()
    receipt = sent["ThongTinBienLai"]
    assert receipt["PhiLePhi"] == [{"LoaiPhiLePhi": 2, "MaPhiLePhi": "2", "SoTien": 10000}]
    assert receipt["TKThuHuong"] == support.ACCOUNT and receipt["MaNHThuHuong"] == support.BIN
    assert tx.pay_url == f"{platform.url}/pay/{tx.reference}"


@pytest.mark.django_db
def test_a_signed_callback_pays_the_dossier_once(client, platform, dossier):
    tx = paygov.paygov_start(dossier=dossier)
    callback = platform.callback(tx.request)
    for _ in range(2):  # replayed
        response = _post(client, callback)
        assert response.status_code == 200 and response.json()["MaLoi"] == "00"
    assert selectors.dossier_balance(dossier).status == "paid"
    assert Payment.objects.get().method == "paygov"
    assert DossierEvent.objects.filter(dossier=dossier, action="payment_confirmed").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        {"key": "guessed-key"},
        {"SoTien": 1},  # altered after signing
        {"MaXacThuc": ""},
    ],
)
def test_a_forged_callback_is_refused_and_records_nothing(client, platform, dossier, forge):
    tx = paygov.paygov_start(dossier=dossier)
    if "key" in forge:
        message = platform.callback(tx.request, key=forge["key"])
    else:
        message = platform.callback(tx.request)
        message.update(forge)
    response = _post(client, message)
    assert response.status_code == 401
    assert not Payment.objects.exists()
    assert PayGovTransaction.objects.get().state == "started"
    assert RejectedNotification.objects.filter(source="paygov").exists()


@pytest.mark.django_db
def test_the_check_is_enforced_even_without_a_configured_key(client, platform, dossier, settings):
    tx = paygov.paygov_start(dossier=dossier)
    settings.MOTCUA_PAYGOV_HASH_KEY = ""
    assert _post(client, platform.callback(tx.request, key="")).status_code == 401


@pytest.mark.django_db
def test_a_failed_payment_records_no_money(client, platform, dossier):
    tx = paygov.paygov_start(dossier=dossier)
    assert _post(client, platform.callback(tx.request, code="24")).status_code == 200
    assert PayGovTransaction.objects.get().state == "failed"
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_unknown_reference_is_refused(client, platform, dossier):
    tx = paygov.paygov_start(dossier=dossier)
    assert _post(client, platform.callback(tx.request, MaThamChieu="NOPE-1")).status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["down", "refuse"])
def test_platform_down_or_refusing_is_a_clear_error(platform, dossier, mode):
    platform.mode = mode
    with pytest.raises(DomainError) as info:
        paygov.paygov_start(dossier=dossier)
    assert info.value.code == "paygov_unavailable"
    assert not Payment.objects.exists()
