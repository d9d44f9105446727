"""Error pages speak the user's language and lead somewhere useful, never Django's English stubs."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_a_vietnamese_page_with_ways_on():
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and 'lang="vi"' in html
    assert "/tra-cuu/" in html  # the tracking page, where a citizen most likely wanted to go


def test_the_error_page_follows_the_chosen_language():
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html


def test_a_server_error_page_needs_no_database_or_request_context():
    with translation.override("vi"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()
