"""The public pages as a citizen sees them, in Chromium."""

import pytest

from motcua.catalog.services import catalog_load_demo

from .conftest import axe_violations, page_weight, screenshot

pytestmark = pytest.mark.browser


def test_procedure_search_and_page_are_accessible_light_and_accent_insensitive(page):
    catalog_load_demo()
    page.goto("/thu-tuc/?q=dang ky khai sinh")
    first = page.locator("main a", has_text="Đăng ký khai sinh").first
    assert first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "procedure-search")
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Đăng ký khai sinh")
    assert page.locator("svg").count() >= 1  # the QR code
    assert axe_violations(page) == []
    screenshot(page, "procedure-page")
    weight = page_weight(page, page.url)
    assert weight.requests <= 15 and weight.transferred <= 60 * 1024, weight
