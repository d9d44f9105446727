"""Fees in Chromium: a citizen files online, sees the VietQR on the tracking page, the bank's
webhook (a real HTTP call to the live server, signed) confirms the transfer and the page shows it
paid; at the counter a desk officer collects cash and the receipt prints."""

import io
import json
import unicodedata
import urllib.request

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.catalog.services import catalog_load_demo
from motcua.dossiers.models import Dossier
from motcua.payments.models import CollectingAccount, Payment
from motcua.units.models import Role
from tests import factories
from tests.dossiers import support as dossier_support
from tests.payments.support import sign
from tests.staff.support import verified_client

from .conftest import axe_violations, screenshot
from .test_citizen_filing import pdf_bytes

pytestmark = pytest.mark.browser
SECRET = "e2e-webhook-secret"
CARD = "087190001234|361234567|Trần Thị Ánh Nguyệt|15041990|Nữ|Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp|10052021"
TEMPORARY_RESIDENCE = "1.004222"  # Đăng ký tạm trú: 15,000 VND at the counter, 7,000 online


@pytest.fixture
def center(settings):
    settings.MOTCUA_BANK_WEBHOOK_SECRET = SECRET
    catalog_load_demo()
    center = factories.center(factories.commune(name="Xã Mỹ An Hưng"))
    CollectingAccount.objects.create(
        center=center,
        bank_bin="970416",
        bank_name="ACB",
        account_number="257678859",
        account_name="TTPVHCC MY AN HUNG",
    )
    return center


def test_online_filing_then_vietqr_then_bank_webhook_then_paid(page, live_server, center):
    page.goto(f"/nop-truc-tuyen/{TEMPORARY_RESIDENCE}/")
    page.get_by_label("Nội dung mã QR trên thẻ căn cước").fill(CARD)
    page.get_by_role("button", name="Điền từ mã QR").click()
    expect(page.get_by_label("Họ và tên")).to_have_value("Trần Thị Ánh Nguyệt")
    page.get_by_label("Trung tâm tiếp nhận hồ sơ").select_option(label=center.name)
    page.get_by_label("Số điện thoại").fill("0909 123 456")
    # every paper the procedure asks for (a mandatory one left out blocks the submission)
    files = page.locator("input[type=file]")
    for i in range(files.count()):
        files.nth(i).set_input_files(
            {"name": f"giay-to-{i + 1}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(f"CT01 {i}")}
        )
    page.get_by_role("button", name="Tiếp tục: xem lại").click()
    expect(page.get_by_role("heading", name="Kiểm tra trước khi nộp")).to_be_visible()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("#dossier-code")).to_be_visible()
    dossier = Dossier.objects.get()

    # the tracking page shows what is owed (the online rate) and the VietQR to pay it
    page.get_by_role("link", name="Theo dõi hồ sơ này").click()
    panel = page.locator(".payment-panel")
    expect(panel).to_contain_text("7.000 đồng")
    expect(panel.locator("svg.vietqr")).to_be_visible()
    expect(panel).to_contain_text(dossier.code)
    assert axe_violations(page) == []
    screenshot(page, "payments-tracking-vietqr")

    # the bank confirms the transfer: a signed JSON body to the webhook
    body = json.dumps(
        {
            "transaction_id": "FT26061000001",
            "amount": 7000,
            "description": f"MBVCB.123.{dossier.code.replace('-', '')}.CT tu 0909",
            "account_number": "257678859",
            "bank_bin": "970416",
        }
    ).encode()
    request = urllib.request.Request(
        live_server.url + "/thanh-toan/ngan-hang/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-Signature": sign(SECRET, body)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["success"] is True
    assert Payment.objects.get().status == "confirmed"

    page.reload()
    expect(page.locator(".payment-panel")).to_contain_text("đã thanh toán")
    expect(page.locator(".payment-panel svg.vietqr")).to_have_count(0)
    expect(page.locator(".history")).to_contain_text("Đã thanh toán phí, lệ phí")


def test_cash_at_the_counter_prints_its_receipt(page, live_server, center):
    desk = factories.user(Role.DESK_OFFICER, center_obj=center, full_name="Nguyễn Thị Hồng")
    staffed = dossier_support.Staffed(
        center=center, desk=desk, specialist=None, leader=None, province_admin=None
    )
    from motcua.catalog.models import ProcedureVersion

    version = ProcedureVersion.objects.filter(procedure__national_code=TEMPORARY_RESIDENCE).first()
    dossier = dossier_support.receive(staffed, version, when=dossier_support.at("2026-03-02 09:00"))
    client = verified_client(desk)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"/quay/ket-qua/{dossier.code}/")
    expect(page.locator(".payment-panel")).to_contain_text("15.000 đồng")
    page.get_by_role("link", name="Thu tiền mặt và in biên lai").click()
    expect(page.locator("#cash-amount")).to_have_text("15.000 đồng")
    page.get_by_role("button", name="Thu tiền mặt và in biên lai").click()
    expect(page.get_by_role("heading", name="Biên lai 01BLP0-001 · BL-E · 0000001")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Mười lăm nghìn đồng")
    assert axe_violations(page) == []
    screenshot(page, "payments-receipt")
    pdf_url = page.get_by_role("link", name="Mở biên lai (PDF)").get_attribute("href")
    response = page.request.get(pdf_url)
    assert response.headers["content-type"] == "application/pdf"
    text = unicodedata.normalize(
        "NFC", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    )
    assert "Mười lăm nghìn đồng" in text and "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
