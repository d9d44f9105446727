"""The public pages as a citizen sees them, in Chromium."""

import pytest
from playwright.sync_api import expect

from motcua.catalog.services import catalog_load_demo

from .conftest import axe_violations, page_weight, screenshot

pytestmark = pytest.mark.browser

LIMIT_BYTES, LIMIT_REQUESTS = 60 * 1024, 15


def assert_light(page, url):
    weight = page_weight(page, url, page.locator("h1").first)
    assert weight.requests <= LIMIT_REQUESTS and weight.transferred <= LIMIT_BYTES, weight
    return weight


def test_the_home_page_is_a_clear_entry(page):
    catalog_load_demo()
    assert_light(page, "/")
    assert page.get_by_role("searchbox").is_visible()
    assert page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.is_visible()
    assert page.get_by_role("link", name="Tra cứu hồ sơ").first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "portal-home")


def test_procedure_search_and_page_are_accessible_light_and_accent_insensitive(page):
    catalog_load_demo()
    page.goto("/thu-tuc/?q=dang ky khai sinh")
    first = page.locator("main a", has_text="Đăng ký khai sinh").first
    assert first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "portal-search")
    assert_light(page, page.url)
    first.click()
    expect(page.locator("h1")).to_contain_text("Đăng ký khai sinh")
    assert page.locator("h1").inner_text().startswith("Đăng ký khai sinh")
    assert page.locator("svg").count() >= 1  # the QR code
    assert page.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "portal-procedure")
    assert_light(page, page.url)


def test_the_procedure_page_reads_well_on_a_phone(phone):
    catalog_load_demo()
    phone.goto("/thu-tuc/2.000815/")
    # no sideways scrolling on a 360 px screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(phone) == []
    screenshot(phone, "portal-procedure-phone")
