"""The staff pages in Chromium: a counter intake by keyboard only, and a dossier taken through its
internal process by a specialist and a leader (who enrols TOTP on the page) to the return.

Static files are served here the way a deployment serves them (WhiteNoise, which sends the
pre-compressed htmx.min.js.gz), not by Django's development static view, so the page weight is
what a 2019 office PC downloads.
"""

import base64
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from motcua.dossiers import documents, services
from motcua.dossiers.models import Dossier
from tests.staff.support import CARD, birth_registration, pdf_bytes, receive, staffed

from .conftest import axe_violations, page_weight, screenshot, sign_in

pytestmark = pytest.mark.browser

MAX_BYTES = 60 * 1024
MAX_REQUESTS = 15


class _ThroughTheApp:
    """A 'static handler' that hands every request to the app, so WhiteNoise serves /static/."""

    def __new__(cls, application):
        return application


@pytest.fixture(scope="module")
def live_server(request):
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost", start=False)
    server.thread.static_handler = _ThroughTheApp
    server.start()
    yield server
    server.stop()


def check_page(page, name: str, *, weigh: bool = True) -> None:
    """No serious/critical axe violation, light enough, and a screenshot for the docs."""
    assert axe_violations(page) == [], name
    screenshot(page, f"staff-{name}")
    if weigh:
        weigh_fresh(page, page.url, name)


def weigh_fresh(page, url: str, name: str) -> None:
    """The weight of a first visit: a new context with the same session cookie and an empty cache."""
    context = page.context.browser.new_context(
        base_url=page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2],
        storage_state=page.context.storage_state(),
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 860},
    )
    try:
        fresh = context.new_page()
        weight = page_weight(fresh, url, fresh.locator("h1").first)
    finally:
        context.close()
    print(f"{name}: {weight.requests} requests, {weight.transferred / 1024:.1f} KB")
    assert weight.requests <= MAX_REQUESTS and weight.transferred <= MAX_BYTES, (name, weight)


def focused(page) -> str:
    return page.evaluate(
        "document.activeElement && (document.activeElement.id || document.activeElement.textContent)"
    )


def tab_to(page, element_id: str, limit: int = 12) -> None:
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    assert focused(page) == element_id


def test_a_counter_intake_by_keyboard_only_in_at_most_three_page_loads(page):
    c, v = staffed(), birth_registration()
    first, second = v.components.all()
    sign_in(page, c.desk.username)
    assert page.url.endswith("/quay/")
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.goto("/quay/")

    assert focused(page) == "procedure-q"  # the search field has the focus
    page.keyboard.type("dang ky khai sinh")
    result = page.locator("#procedure-results a", has_text="Đăng ký khai sinh")
    result.wait_for()
    page.keyboard.press("Tab")  # the Find button
    page.keyboard.press("Tab")  # the first result
    assert "Đăng ký khai sinh" in focused(page)
    page.keyboard.press("Enter")
    page.locator("#cccd-scan").wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'cccd-scan'")

    page.keyboard.type(CARD)  # what a keyboard-wedge scanner types, ending with Enter
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('id_applicant_name').value.length > 0")
    assert page.input_value("#id_applicant_name") == "Trần Thị Ánh Nguyệt"
    assert page.input_value("#id_id_number") == "087190001234"
    assert page.input_value("#id_birth_date") == "15/03/1990"
    assert "Ấp 3" in page.input_value("#id_address")
    assert not Dossier.objects.exists()  # reading the card saved nothing
    # on to the checklist
    page.wait_for_function(f"() => document.activeElement.id === 'provided-{first.pk}'")

    page.keyboard.press("Space")
    tab_to(page, f"provided-{second.pk}")
    page.keyboard.press("Space")
    assert page.is_checked(f"#provided-{first.pk}") and page.is_checked(f"#provided-{second.pk}")
    check_page(page, "counter-desk", weigh=False)

    with page.expect_navigation():
        page.keyboard.press("Alt+t")  # "Tiếp nhận"
    page.wait_for_url("**/quay/ket-qua/**")
    assert "/quay/ket-qua/" in page.url
    assert page.locator("h1").inner_text() == "Đã tiếp nhận hồ sơ"
    dossier = Dossier.objects.get()
    assert dossier.code in page.content() and dossier.documents.count() == 0
    assert page.locator("#slip-frame").get_attribute("src") == f"/ho-so/{dossier.code}/phieu/01/"
    assert page.evaluate("document.activeElement.dataset.printFrame") == "slip-frame"  # Enter prints
    print(f"page loads for the intake: {len(loads)} ({loads})")
    assert len(loads) <= 3
    assert axe_violations(page) == []
    screenshot(page, "staff-counter-result")

    weigh_fresh(page, "/quay/", "counter-desk")
    weigh_fresh(page, f"/quay/?p={v.procedure.national_code}", "counter-intake-form")


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()


def test_a_specialist_and_a_leader_take_a_dossier_through_its_process_to_the_return(page):
    c, v = staffed(), birth_registration()
    dossier = services.dossier_act(actor=c.desk, dossier=receive(c, v), action="transfer")
    first = v.components.first()
    documents.document_upload(
        actor=c.desk,
        dossier=dossier,
        component_id=first.pk,
        upload=("to-khai.pdf", pdf_bytes("To khai dang ky khai sinh")),
    )
    late, soon = receive(c, v), receive(c, v)  # more in the inbox, one overdue and one due soon
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(hours=3))
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + timedelta(minutes=45))

    page.goto("/dang-nhap/")
    check_page(page, "sign-in")

    # the specialist reviews and forwards to the leader
    sign_in(page, c.specialist.username)
    assert page.url.endswith("/viec/")
    assert page.locator("td a", has_text=dossier.code).is_visible()
    assert page.locator(".deadline-overdue").inner_text() == "Quá hạn"
    assert page.locator(".deadline-due_soon").inner_text() == "Sắp đến hạn"
    check_page(page, "workspace-inbox")
    page.locator("td a", has_text=dossier.code).click()
    expect(page.locator("h1")).to_have_text(f"Hồ sơ {dossier.code}")
    assert page.locator("h1").inner_text() == f"Hồ sơ {dossier.code}"
    assert page.locator(".doc-list a", has_text="to-khai.pdf").is_visible()
    check_page(page, "dossier-page")
    page.locator(".doc-list a", has_text="to-khai.pdf").click()  # opens in the viewer (htmx)
    page.locator("#viewer iframe.doc-frame").wait_for()
    forward = page.locator('details[data-action="forward"]')
    forward.locator("summary").click()
    forward.get_by_label("Bước tiếp theo").select_option(str(c.leader.pk))
    with page.expect_navigation():
        forward.get_by_role("button", name="Hoàn thành bước này, chuyển tiếp").click()
    assert "Đã thực hiện" in page.locator(".flash").inner_text()
    assert Dossier.objects.get(pk=dossier.pk).step_position == 3
    sign_out(page)

    # the leader signs in for the first time: enrols an authenticator, then approves in the queue
    sign_in(page, c.leader.username)
    assert page.url.endswith("/dang-nhap/xac-thuc/")
    assert page.locator(".otp-qr-box svg").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "staff-enrol")
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"
    page.get_by_label("Mã xác thực").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Bật và tiếp tục").click()
    page.wait_for_url("**/phe-duyet/")
    assert page.url.endswith("/phe-duyet/")
    assert page.locator("td a", has_text=dossier.code).is_visible()
    check_page(page, "approval-queue")
    page.get_by_label(f"Chọn {dossier.code}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Phê duyệt các hồ sơ đã chọn").click()
    assert dossier.code in page.locator(".flash").inner_text()
    assert Dossier.objects.get(pk=dossier.pk).step_position == 4
    sign_out(page)

    # the specialist issues the result; the desk officer returns it
    sign_in(page, c.specialist.username)
    page.goto(f"/ho-so/{dossier.code}/")
    with page.expect_navigation():
        page.locator('[data-action="forward"] button[type=submit]').click()
    assert Dossier.objects.get(pk=dossier.pk).state == "result_ready"
    sign_out(page)

    sign_in(page, c.desk.username)
    page.goto(f"/ho-so/{dossier.code}/")
    returning = page.locator('details[data-action="return"]')
    returning.locator("summary").click()
    with page.expect_navigation():
        returning.get_by_role("button", name="Trả kết quả").click()
    assert Dossier.objects.get(pk=dossier.pk).state == "returned"
    assert "Đã trả kết quả" in page.locator(".state").inner_text()
    history = page.locator(".history").inner_text()
    for label in ("Tiếp nhận tại quầy", "Chuyển xử lý", "Lãnh đạo phê duyệt", "Trả kết quả"):
        assert label in history
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", history)
