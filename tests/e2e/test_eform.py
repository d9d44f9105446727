"""The birth registration e-form in Chromium: the counter scans the ID card, the declaration fills
itself, the citizen signs on the tablet, the dossier is received and its declaration PDF says it."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.catalog import services as catalog_services
from motcua.catalog.models import RequiredComponent
from motcua.dossiers.models import Dossier
from motcua.eforms.models import Declaration
from tests.staff.support import CARD, staffed

from .conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_the_counter_fills_the_birth_declaration_from_the_id_card_and_stores_its_signed_pdf(page):
    catalog_services.catalog_load_demo()
    c = staffed()
    sign_in(page, c.desk.username)
    page.goto("/quay/?p=1.001193")
    expect(page.locator("#eform legend")).to_contain_text("TỜ KHAI ĐĂNG KÝ KHAI SINH")

    # the officer has already typed the phone the citizen gave; the scan must not wipe it
    page.fill("#ef-requester_phone", "0909 123 456")
    page.locator("#cccd-scan").focus()
    page.keyboard.type(CARD)  # what a keyboard-wedge scanner types, ending with Enter
    page.keyboard.press("Enter")
    # the card is read by the server (/quay/quet-the/), then the form filled by a second request:
    # two round trips that took over 15 s with two full suites and a benchmark on the same 2 cores
    expect(page.locator("#ef-requester_name")).to_have_value("Trần Thị Ánh Nguyệt", timeout=30_000)
    expect(page.locator("#ef-requester_id_number")).to_have_value("087190001234")
    expect(page.locator("#ef-requester_birth_date")).to_have_value("15/03/1990")
    expect(page.locator("#ef-requester_address")).to_have_value("Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp")
    expect(page.locator("#ef-requester_phone")).to_have_value("0909 123 456")
    assert not Dossier.objects.exists()  # reading the card saved nothing

    # what the card cannot know, the officer types with the citizen
    page.select_option("#ef-requester_relationship", "Mẹ")
    page.fill("#ef-child_name", "Lê Minh Khôi")
    page.fill("#ef-child_birth_date", "02/11/2026")
    page.select_option("#ef-child_sex", "Nam")
    page.fill("#ef-child_birth_place", "Bệnh viện Đa khoa tỉnh Đồng Tháp")
    page.fill("#ef-father_name", "Lê Văn Tâm")

    # the citizen signs on the tablet
    pad = page.locator("[data-signature-canvas]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for x, y in ((0.3, 0.2), (0.5, 0.8), (0.7, 0.3), (0.9, 0.6)):
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * y, steps=6)
    page.mouse.up()
    expect(page.locator("#ef-signature")).to_have_value(re.compile(r"^data:image/png;base64,"))
    assert axe_violations(page) == []
    screenshot(page, "staff-counter-eform")

    # the declaration paper is the e-form: tick the others and receive
    for comp in RequiredComponent.objects.filter(
        version__procedure__national_code="1.001193", position__in=(2, 3)
    ):
        page.check(f"#provided-{comp.pk}")
    with page.expect_navigation():
        page.click("button[value=receive]")
    expect(page).to_have_url(re.compile(r"/quay/ket-qua/\d+/$"))
    expect(page.locator("h1")).to_have_text("Đã tiếp nhận hồ sơ")

    declaration = Declaration.objects.select_related("document", "dossier").get()
    assert declaration.signed and declaration.document.component.position == 1
    response = page.request.get(f"/tai-lieu/{declaration.document.pk}/")  # as the officer opens it
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "Họ, chữ đệm, tên người yêu cầu: Trần Thị Ánh Nguyệt" in text
    assert "Số định danh cá nhân: 087190001234" in text and "Số điện thoại: 0909 123 456" in text
    assert "Họ, chữ đệm, tên: Lê Minh Khôi" in text and "Giới tính: Nam" in text
    assert declaration.dossier.code in text
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1  # the drawn signature
