"""What people see of fees: slip 01's block (with the VietQR), the tracking panel, the kiosk."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from motcua.dossiers.slips import render_slip
from motcua.payments import selectors, services
from motcua.payments.vietqr import vietqr_parse
from tests.payments import support


def _text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(unicodedata.normalize("NFC", p.extract_text()) for p in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.mark.django_db
def test_slip_01_says_what_is_owed_and_carries_the_vietqr():
    staffed = support.staffed_center()
    support.account(staffed.center)
    dossier = support.receive(staffed, support.priced_version())
    pages, text = _text(render_slip(dossier, "01"))
    assert pages == 1
    assert "Phí, lệ phí phải nộp: 25.000 đồng" in text and "lệ phí 20.000 đồng" in text
    assert dossier.code in text and support.ACCOUNT in text
    qr = selectors.dossier_vietqr(dossier)
    assert vietqr_parse(qr["payload"]).amount == 25000 and vietqr_parse(qr["payload"]).purpose == dossier.code


@pytest.mark.django_db
def test_slip_01_without_an_account_says_cash_and_once_paid_says_paid():
    staffed = support.staffed_center()
    dossier = support.receive(staffed, support.priced_version())
    assert "Nộp tiền mặt tại quầy." in _text(render_slip(dossier, "01"))[1]
    services.charge_exempt(actor=staffed.desk, dossier=dossier, reason="Điều 5 Nghị quyết HĐND tỉnh")
    assert "Phí, lệ phí: không thu." in _text(render_slip(dossier, "01"))[1]


@pytest.mark.django_db
def test_kiosk_tracking_shows_the_vietqr(client):
    staffed = support.staffed_center()
    support.account(staffed.center)
    dossier = support.receive(staffed, support.priced_version())
    html = client.get(f"/kiosk/tra-cuu/{dossier.code}/?s={dossier.secret}").content.decode()
    assert "vietqr" in html and "25.000 đồng" in html
