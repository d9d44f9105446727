"""Issue 11, defect 2: every page a role may use is reachable by clicks from its landing page.

For each role the test signs in through the sign-in page (with the second factor where the role
needs it), then crawls the links of the menus (`nav`) and of the report pages, breadth first from
where the role lands, and checks that the role's pages were all reached."""

import re
from urllib.parse import urlsplit

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from motcua.units.models import Role
from tests import factories
from tests.staff.support import staffed

from .conftest import sign_in

pytestmark = pytest.mark.browser

SKIP = re.compile(r"^/(admin|i18n|dang-xuat|static|media)/|/phieu/|/tai-lieu/|/xuat/|/ho-so/[^/]+/$")
MAX_PAGES = 40


def signed_in(page, user, *, second_factor: bool) -> str:
    if second_factor:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(page, user.username)
    if second_factor:
        expect(page).to_have_url(re.compile(r"/dang-nhap/xac-thuc/"))
        page.get_by_label("Mã xác thực").fill(f"{totp(device.bin_key):06d}")
        page.get_by_label("Mã xác thực").press("Enter")
        expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))
    return urlsplit(page.url).path


def crawl(page, start: str) -> set[str]:
    """Paths reached by following menu links (and the report pages' own links) from `start`."""
    seen, queue = set(), [start]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        page.goto(path)
        seen.add(urlsplit(page.url).path)  # after redirects
        seen.add(path)
        hrefs = page.eval_on_selector_all(
            "nav a[href], .reports a[href], main.reports a[href], body.reports main a[href]",
            "links => links.map(a => a.getAttribute('href'))",
        )
        for href in hrefs:
            target = urlsplit(href)
            if target.netloc or not target.path.startswith("/") or SKIP.search(target.path):
                continue
            if target.path not in seen:
                queue.append(target.path)
    return seen


def assert_reaches(reached: set[str], expected: list[str]) -> None:
    missing = [p for p in expected if not any(re.fullmatch(p, r) for r in reached)]
    assert missing == [], (missing, sorted(reached))


def test_every_role_reaches_its_pages_from_its_landing_page(browser, live_server, transactional_db):
    c = staffed()
    center = c.center.pk
    province = c.center.commune.province.code
    province_admin = factories.user(Role.PROVINCE_ADMIN, province_obj=c.center.commune.province)
    center_admin = factories.user(Role.CENTER_ADMIN, center_obj=c.center)
    roles = [
        (
            c.desk,
            False,
            ["/quay/", "/viec/", "/danh-gia/quay/", f"/bao-cao/trung-tam/{center}/", "/bao-cao/tep-xuat/"],
        ),
        (c.specialist, False, ["/viec/", f"/bao-cao/trung-tam/{center}/"]),
        (
            c.leader,
            True,
            [
                "/phe-duyet/",
                "/viec/",
                "/danh-gia/theo-doi/",
                "/phan-anh/xu-ly/",
                f"/bao-cao/trung-tam/{center}/",
                f"/bao-cao/trung-tam/{center}/can-bo/",
                f"/bao-cao/trung-tam/{center}/dinh-ky/",
            ],
        ),
        (
            province_admin,
            True,
            [
                "/viec/",
                f"/bao-cao/tinh/{province}/",
                f"/bao-cao/tinh/{province}/phan-tich/",
                f"/bao-cao/tinh/{province}/dinh-ky/",
                "/bao-cao/tep-xuat/",
            ],
        ),
        (
            center_admin,
            True,
            ["/viec/", "/tai-khoan/nhan-vien/", "/nhat-ky-truy-cap/", "/thong-bao/", "/kiosk/thiet-lap/"],
        ),
    ]
    for user, second_factor, expected in roles:
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            landing = signed_in(page, user, second_factor=second_factor)
            assert_reaches(crawl(page, landing), expected)
        finally:
            context.close()
