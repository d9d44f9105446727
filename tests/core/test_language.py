"""Issue 11, defect 7: pages open in Vietnamese even when the browser prefers English; English
only when chosen with the switch (its cookie). The JSON API still follows Accept-Language."""

import pytest
from django.test import Client

from tests import factories
from tests.language import english_client

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = "en-US,en;q=0.9"


@pytest.mark.parametrize("url", ["/", "/thu-tuc/", "/nop-truc-tuyen/", "/tra-cuu/", "/kiosk/", "/dang-nhap/"])
def test_pages_open_in_vietnamese_for_an_english_browser(url):
    factories.center()
    page = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER).get(url).content.decode()
    assert '<html lang="vi">' in page


def test_english_only_when_chosen_with_the_switch():
    factories.center()
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kiosk/"})
    assert response.status_code == 302 and response["Location"] == "/kiosk/"
    assert '<html lang="en">' in client.get("/kiosk/").content.decode()
    assert '<html lang="en">' in english_client().get("/").content.decode()


def test_the_kiosk_has_a_language_switch():
    factories.center()
    page = Client().get("/kiosk/").content.decode()
    assert 'name="language" value="en"' in page and "/i18n/setlang/" in page
