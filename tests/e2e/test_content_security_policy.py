"""Defect 12: the pages pass their Content-Security-Policy in Chromium: no `securitypolicyviolation`
event, no console error, no page error on the main public and staff pages (and the admin)."""

import pytest

from motcua.catalog.services import catalog_load_demo
from motcua.dossiers import documents
from tests import factories
from tests.staff.support import birth_registration, pdf_bytes, receive, staffed, verified_client

pytestmark = pytest.mark.browser

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.fixture
def csp_context(browser, live_server, transactional_db):
    """A context that keeps the pages' CSP (no bypass) and records every violation and error."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    yield context
    context.close()


def visit_all(context, base: str, paths: list[str], *, session: str | None = None) -> dict[str, list[str]]:
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    errors: list[str] = []

    def on_console(message) -> None:
        # Chromium's own PDF viewer (a chrome-extension:// frame) logs errors of its own, and asks
        # for a /favicon.ico that the pages do not use (they declare none)
        where = message.location.get("url", "")
        if message.type == "error" and where.startswith(base) and not where.endswith("/favicon.ico"):
            errors.append(f"console error: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    found = {}
    for path in paths:
        errors.clear()
        response = page.goto(path, wait_until="load")
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # a round trip after load: violation events of the page's own scripts have been dispatched
        violations = page.evaluate("() => new Promise(r => setTimeout(() => r(window.__csp), 50))")
        if violations or errors:
            found[path] = violations + errors
    page.close()
    return found


def test_public_pages_pass_their_content_security_policy(csp_context, live_server):
    catalog_load_demo()
    paths = [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai sinh",
        "/thu-tuc/2.000815/",
        "/nop-truc-tuyen/",
        "/nop-truc-tuyen/2.000815/",
        "/tra-cuu/",
        "/kiosk/",
        "/dang-nhap/",
    ]
    assert visit_all(csp_context, live_server.url, paths) == {}


def test_staff_pages_and_the_admin_pass_their_content_security_policy(csp_context, live_server):
    c = staffed()
    version = birth_registration()
    dossier = receive(c, version)
    documents.document_upload(
        actor=c.desk, dossier=dossier, component_id=None, upload=("scan.pdf", pdf_bytes())
    )
    document = dossier.documents.first()
    base = live_server.url
    desk = verified_client(c.desk).cookies["sessionid"].value
    paths = ["/quay/", "/viec/", f"/ho-so/{dossier.code}/", f"/tai-lieu/{document.pk}/xem/", "/tai-khoan/"]
    assert visit_all(csp_context, base, paths, session=desk) == {}
    leader = verified_client(c.leader).cookies["sessionid"].value
    assert visit_all(csp_context, base, ["/phe-duyet/", f"/ho-so/{dossier.code}/"], session=leader) == {}
    admin = factories.user(None, username="root", is_superuser=True, is_staff=True)
    root = verified_client(admin).cookies["sessionid"].value
    paths = ["/admin/", "/admin/dossiers/dossier/", "/admin/catalog/procedure/"]
    assert visit_all(csp_context, base, paths, session=root) == {}
