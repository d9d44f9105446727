"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

The pages' Content-Security-Policy stays on: wait with `page.wait_for_function("() => ...")` (an
arrow function); a bare expression string is eval'ed in the page, which the policy blocks.

Helpers here check what every page must meet: no serious or critical axe-core violation, under
60 KB compressed and 15 requests; and they save screenshots for the README.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 860},
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser, live_server, transactional_db):
    """A cheap phone's screen."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    tab = context.new_page()
    yield tab
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; the violations of the given impacts (empty list: all good)."""
    # Evaluated through the DevTools protocol: an injected <script> would be (rightly) blocked by
    # the pages' Content-Security-Policy.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@dataclass
class Weight:
    requests: int
    transferred: int  # bytes over the wire (compressed where the server compresses)


@contextmanager
def _on_the_wire(page):
    """The sizes (body and headers) of every request that finishes while the block runs."""
    sizes: list[int] = []

    def on_finished(request):
        try:
            sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"])
        except Exception:  # a request that failed has no sizes
            sizes.append(0)

    page.on("requestfinished", on_finished)
    try:
        yield sizes
    finally:
        page.remove_listener("requestfinished", on_finished)


def _settled(page, ready) -> None:
    """The expected page is there (`ready`, an element only it shows, is visible); then its last
    requests (scripts, styles, images) have finished. Network idleness alone can come before a
    navigation starts on a busy machine."""
    expect(ready).to_be_visible()
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


def page_weight(page, url: str, ready) -> Weight:
    """Load `url` fresh (no cache) with gzip accepted and add up what went over the wire;
    `ready`: a locator of an element the page must show."""
    with _on_the_wire(page) as sizes:
        page.goto(url)
        _settled(page, ready)
    return Weight(requests=len(sizes), transferred=sum(sizes))


def weigh(page, action, ready) -> Weight:
    """What goes over the wire while `action` navigates (pages reached by a POST) to the page
    that shows `ready`."""
    with _on_the_wire(page) as sizes:
        with page.expect_navigation():
            action()
        _settled(page, ready)
    return Weight(requests=len(sizes), transferred=sum(sizes))


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def sign_in(page, username: str, password: str = "pw-12345-test") -> None:
    """Sign in through the staff sign-in page (set by the staff pages; see tests/e2e/test_staff_*)."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    # Wait for the navigation the form causes (to the landing page or the second step), not for the
    # network to be idle: that can come before the navigation has even started on a busy machine.
    with page.expect_navigation(url=lambda url: not url.rstrip("/").endswith("/dang-nhap")):
        page.keyboard.press("Enter")
