"""Issue 11 at the kiosk in Chromium: the kiosk belongs to its center (defect 3) and speaks
Vietnamese on an English-language machine until English is chosen (defect 7)."""

import re

import pytest
from django.core import signing
from playwright.sync_api import expect

from motcua.catalog.services import catalog_load_demo
from motcua.dossiers.models import Dossier
from motcua.portal.kiosk_device import CENTER_COOKIE, SALT
from tests import factories

from .test_citizen_filing import CARD
from .test_kiosk import KIOSK_VIEWPORT, scan

pytestmark = pytest.mark.browser


@pytest.fixture
def english_kiosk(browser, live_server, transactional_db):
    """A kiosk PC whose Windows and browser are set to English."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=KIOSK_VIEWPORT,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def set_up_for(page, live_server, center) -> None:
    """What /kiosk/thiet-lap/ leaves in the kiosk's browser (tested in tests/portal/test_kiosk.py)."""
    value = signing.get_cookie_signer(salt=CENTER_COOKIE + SALT).sign(center.agency_code)
    page.context.add_cookies([{"name": CENTER_COOKIE, "value": value, "url": live_server.url}])


def test_a_kiosk_files_at_its_own_center_in_vietnamese_and_promises_no_number(english_kiosk, live_server):
    page = english_kiosk
    catalog_load_demo()
    province = factories.province()
    factories.center(factories.commune(name="Phường Sa Đéc", province_obj=province))
    mine = factories.center(factories.commune(name="Xã Mỹ An Hưng", province_obj=province))
    set_up_for(page, live_server, mine)

    page.goto("/kiosk/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".kiosk-title")).to_contain_text(mine.name)
    scan(page, CARD)
    page.get_by_role("link", name="Hộ tịch").click()
    page.get_by_role("button", name="Đăng ký khai sinh", exact=True).click()
    expect(page.get_by_role("heading", name="Kiểm tra và xác nhận")).to_be_visible()
    assert page.locator("select[name=center]").count() == 0  # the citizen never picks the center
    expect(page.locator(".kiosk-facts")).to_contain_text(mine.name)
    page.get_by_role("button", name="Xác nhận nộp hồ sơ").click()
    expect(page.locator("#dossier-code")).to_be_visible()
    dossier = Dossier.objects.get()
    assert dossier.receiving_center == mine and dossier.channel == "kiosk"
    done = page.locator("main").inner_text()
    assert "gọi số" not in done  # no queue number is promised (none is issued yet)
    assert "quầy tiếp nhận" in done

    # following it at the kiosk says where it was filed: at the kiosk, not online
    page.goto(f"/kiosk/tra-cuu/{dossier.code}/?s={dossier.secret}")
    expect(page.get_by_text("Đã nộp tại kiosk, chờ tiếp nhận").first).to_be_visible()
    assert "trực tuyến" not in page.locator("main").inner_text()


def test_english_only_when_chosen_and_the_next_citizen_starts_in_vietnamese(english_kiosk, live_server):
    page = english_kiosk
    catalog_load_demo()
    factories.center()
    page.goto("/kiosk/?idle=4")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Tiếng Việt")).to_be_visible()
    expect(page.locator("h1")).to_have_text(re.compile("Welcome"))
    # left alone, the kiosk returns to the start in Vietnamese
    expect(page.locator("html")).to_have_attribute("lang", "vi", timeout=15_000)
