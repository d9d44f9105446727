"""Issue 11 in Chromium at the counter desk: nothing stalls at "received" (defect 5), the ID-card
fill never wipes what the officer typed (defect 10), and the desk finds dossiers by code, lists
what waits for it and shows the applicant's e-mail (defect 12)."""

import re

import pytest
from playwright.sync_api import expect

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, State
from tests.staff.support import CARD, birth_registration, receive, staffed

from .conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_a_paper_dossier_is_transferred_from_the_counter_and_the_desk_lists_what_waits(page):
    c, v = staffed(), birth_registration()
    waiting = receive(c, v)  # received earlier, still at the counter
    online = services.dossier_submit_online(
        center=c.center,
        procedure_version=v,
        applicant=services.Applicant(
            name="Lê Văn Tám", id_number="087190005555", phone="0909000111", email="tam@example.vn"
        ),
        components=[],
        channel="kiosk",
    )
    sign_in(page, c.desk.username)
    expect(page).to_have_url(re.compile(r"/quay/$"))
    # the desk's home lists both: the kiosk submission to receive, the paper dossier to transfer
    reception = page.locator("#waiting-reception")
    expect(reception.get_by_role("link", name=online.code)).to_be_visible()
    transfer = page.locator("#waiting-transfer")
    expect(transfer.get_by_role("link", name=waiting.code)).to_be_visible()
    assert axe_violations(page) == []
    transfer.get_by_role("button", name=f"Chuyển xử lý {waiting.code}").click()
    expect(
        page.locator("#waiting-transfer").get_by_text("Không có hồ sơ nào chờ chuyển xử lý.")
    ).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.state == State.IN_PROGRESS

    # a new paper intake: the result page offers the transfer, and says when it is done
    page.goto(f"/quay/?p={v.procedure.national_code}")
    page.locator("#cccd-scan").fill(CARD)
    page.locator("#cccd-scan").press("Enter")
    expect(page.locator("#id_applicant_name")).to_have_value("Trần Thị Ánh Nguyệt")
    for box in page.locator("#checklist input[name^=provided-]").all():
        box.check()
    page.get_by_role("button", name=re.compile("^Tiếp nhận")).click()
    expect(page).to_have_url(re.compile(r"/quay/ket-qua/\d+/$"))
    dossier = Dossier.objects.exclude(pk__in=[waiting.pk, online.pk]).get()
    assert dossier.state == State.RECEIVED
    page.get_by_role("button", name="Chuyển xử lý ngay").click()
    expect(page.locator("#transfer-status")).to_contain_text("Đã chuyển xử lý")
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS
    # the specialist's inbox has it
    page.context.clear_cookies()
    sign_in(page, c.specialist.username)
    page.goto("/viec/")
    expect(page.get_by_role("link", name=dossier.code)).to_be_visible()


def test_the_desk_search_finds_a_dossier_by_code_and_its_page_shows_the_email(page):
    c, v = staffed(), birth_registration()
    dossier = receive(
        c,
        v,
        applicant=services.Applicant(
            name="Trần Thị Ánh Nguyệt", id_number="087190001234", email="nguyet@example.vn"
        ),
    )
    sign_in(page, c.desk.username)
    page.goto("/quay/")
    page.locator("#procedure-q").fill(dossier.code.lower())
    found = page.locator("#found-dossier").get_by_role("link", name=dossier.code)
    expect(found).to_be_visible()
    found.click()
    expect(page).to_have_url(re.compile(rf"/ho-so/{re.escape(dossier.code)}/$"))
    expect(page.get_by_role("link", name="nguyet@example.vn")).to_be_visible()


def test_the_id_card_fill_never_wipes_what_the_officer_typed_meanwhile(page):
    c, v = staffed(), birth_registration()
    sign_in(page, c.desk.username)
    page.goto(f"/quay/?p={v.procedure.national_code}")
    held = []
    page.route("**/quay/quet-the/", lambda route: held.append(route))
    page.locator("#cccd-scan").fill(CARD)
    with page.expect_request("**/quay/quet-the/"):
        page.locator("#cccd-scan").press("Enter")
    # the officer goes on typing the phone number while the scan's answer is on its way
    page.locator("#id_phone").fill("0912 345 678")
    page.locator("#id_address").fill("Số 5, đường 30/4")
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#id_applicant_name")).to_have_value("Trần Thị Ánh Nguyệt")
    assert page.locator("#id_phone").input_value() == "0912 345 678"
    assert page.locator("#id_address").input_value() == "Số 5, đường 30/4"
    assert page.locator("#id_id_number").input_value() == "087190001234"
