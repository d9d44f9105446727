"""The kiosk in Chromium: a keyboard-wedge scanner types into the focused box and presses Enter."""

import pytest
from playwright.sync_api import expect

from motcua.catalog.services import catalog_load_demo
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from tests import factories
from tests.dossiers.support import APPLICANT, all_provided, at

from .conftest import axe_violations, page_weight, screenshot, weigh
from .test_citizen_filing import CARD, assert_light

pytestmark = pytest.mark.browser

KIOSK_VIEWPORT = {"width": 1080, "height": 1280}  # a portrait touch screen


@pytest.fixture
def kiosk(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=KIOSK_VIEWPORT,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def center():
    catalog_load_demo()
    return factories.center(factories.commune(name="Xã Mỹ An Hưng"))


def scan(page, text: str) -> None:
    """What a keyboard-wedge scanner does: type fast into whatever has the focus, then Enter."""
    page.keyboard.type(text, delay=2)
    with page.expect_navigation():  # waits for the page the scan leads to, loaded
        page.keyboard.press("Enter")


def small_targets(page) -> list[str]:
    """Visible links and buttons in the kiosk's content smaller than 48 px high."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.kiosk-main a, .kiosk-main button, .kiosk-bar a')]
            .filter(el => el.offsetParent !== null)
            .filter(el => el.getBoundingClientRect().height < 48)
            .map(el => el.textContent.trim())"""
    )


def test_scan_an_id_card_pick_a_procedure_confirm_and_get_the_code(kiosk, center):
    kiosk.goto("/kiosk/")
    assert kiosk.evaluate("document.activeElement.id") == "scan"
    assert kiosk.locator(".site-header").count() == 0
    assert axe_violations(kiosk) == []
    assert small_targets(kiosk) == []
    assert_light(page_weight(kiosk, "/kiosk/", kiosk.locator("#scan")))
    screenshot(kiosk, "kiosk-home")

    # a tap somewhere takes the focus away; the scanner's text must still land in the scan box
    kiosk.locator("h1").click()
    weight = weigh(kiosk, lambda: scan(kiosk, CARD), kiosk.get_by_text("Xin chào Trần Thị Ánh Nguyệt."))
    assert_light(weight)
    assert kiosk.get_by_text("Xin chào Trần Thị Ánh Nguyệt.").is_visible()
    kiosk.get_by_role("link", name="Hộ tịch").click()
    assert axe_violations(kiosk) == []
    assert small_targets(kiosk) == []
    screenshot(kiosk, "kiosk-choose")
    kiosk.get_by_role("button", name="Đăng ký khai sinh", exact=True).click()
    expect(kiosk.get_by_text("15/04/1990")).to_be_visible()

    # the form is filled from the card; the citizen only confirms (the phone by on-screen keypad)
    assert kiosk.get_by_text("Trần Thị Ánh Nguyệt").is_visible()
    assert kiosk.get_by_text("15/04/1990").is_visible()
    assert "087190001234" not in kiosk.locator("main").inner_text()  # masked on screen
    for digit in "0909123456":
        kiosk.locator(f".keypad button[data-key='{digit}']").click()
    assert kiosk.locator("#phone").input_value() == "0909123456"
    assert axe_violations(kiosk) == []
    assert small_targets(kiosk) == []
    screenshot(kiosk, "kiosk-filing")
    weight = weigh(
        kiosk,
        lambda: kiosk.get_by_role("button", name="Xác nhận nộp hồ sơ").click(),
        kiosk.locator("#dossier-code"),
    )
    assert_light(weight)

    dossier = Dossier.objects.get()
    assert dossier.channel == "kiosk" and dossier.applicant_phone == "0909123456"
    assert dossier.receiving_center == center
    assert kiosk.locator("#dossier-code").inner_text() == dossier.code
    assert axe_violations(kiosk) == []
    screenshot(kiosk, "kiosk-done")
    # nothing about the citizen stays in the browser
    assert kiosk.evaluate("localStorage.length + sessionStorage.length") == 0
    assert {c["name"] for c in kiosk.context.cookies()} <= {"csrftoken"}


def test_scan_a_slip_to_see_the_dossier_status(kiosk, center):
    version = factories.procedure_version(
        national_code="9.000001",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        effective_from=at("2020-01-01").date(),
    )
    desk = factories.user("desk_officer", center_obj=center)
    received = dossier_services.dossier_intake(
        actor=desk,
        center=center,
        procedure_version=version,
        channel="counter",
        applicant=APPLICANT,
        components=all_provided(version),
        at=at("2026-03-02 09:00"),
    ).dossier
    kiosk.goto("/kiosk/")
    scan(kiosk, f"http://127.0.0.1:8000/tra-cuu/{received.code}/?s={received.secret}")
    assert f"/kiosk/tra-cuu/{received.code}/" in kiosk.url
    assert kiosk.get_by_role("heading", name="Cấp Giấy xác nhận tình trạng hôn nhân").is_visible()
    assert kiosk.get_by_text("Đã tiếp nhận").first.is_visible()
    assert "T. T. Á. N." in kiosk.content() and APPLICANT.name not in kiosk.content()
    assert axe_violations(kiosk) == []
    assert small_targets(kiosk) == []
    assert_light(
        page_weight(
            kiosk, kiosk.url, kiosk.get_by_role("heading", name="Cấp Giấy xác nhận tình trạng hôn nhân")
        )
    )
    screenshot(kiosk, "kiosk-tracking")


def test_the_kiosk_resets_itself_after_a_while_without_a_touch(kiosk, center):
    kiosk.goto("/kiosk/?idle=3")
    scan(kiosk, CARD)
    expect(kiosk.get_by_text("Trần Thị Ánh Nguyệt", exact=False).first).to_be_visible()
    kiosk.wait_for_url("**/kiosk/", timeout=10_000)  # waits for the reset page's load event
    expect(kiosk.locator("#scan")).to_be_focused()
    assert "Trần Thị Ánh Nguyệt" not in kiosk.content()
    assert kiosk.locator("#scan").input_value() == ""
    assert kiosk.evaluate("document.activeElement.id") == "scan"
    # the back button does not bring the previous citizen back either
    kiosk.go_back()  # waits for the page it returns to, loaded
    expect(kiosk.locator("#scan")).to_be_attached()
    assert "Trần Thị Ánh Nguyệt" not in kiosk.content()


def test_an_unreadable_scan_is_explained_and_the_kiosk_keeps_listening(kiosk, center):
    kiosk.goto("/kiosk/")
    scan(kiosk, "xin chao")
    assert kiosk.get_by_role("alert").inner_text().startswith("Không đọc được mã này.")
    expect(kiosk.locator("#scan")).to_be_focused()
