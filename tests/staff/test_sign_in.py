"""Staff sign-in: password through django-axes, TOTP for leaders and administrators, landing pages."""

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.staff.auth_views import secret_text
from motcua.units.models import Role
from tests import factories

from .support import PASSWORD, staffed, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return staffed()


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/dang-nhap/", {"username": username, "password": password, **extra})


def code_for(secret: str) -> str:
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key):06d}"


def secret_on(page: str) -> str:
    return re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)


def test_the_sign_in_page_has_labelled_vietnamese_fields():
    page = Client().get("/dang-nhap/").content.decode()
    assert '<label for="id_username">Tên đăng nhập</label>' in page
    assert '<label for="id_password">Mật khẩu</label>' in page
    assert 'autocomplete="current-password"' in page and '<main id="main"' in page


@pytest.mark.parametrize(
    ("role", "landing"),
    [("desk", "/quay/"), ("specialist", "/viec/")],
)
def test_desk_officers_and_specialists_sign_in_with_a_password_and_land_on_their_page(c, role, landing):
    client = Client()
    response = sign_in(client, getattr(c, role).username)
    assert response.status_code == 302 and response["Location"] == landing
    assert client.get(landing).status_code == 200


def test_a_wrong_password_is_a_clear_message_and_signs_nobody_in(c):
    client = Client()
    response = sign_in(client, c.desk.username, "wrong")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert client.get("/quay/")["Location"].startswith("/dang-nhap/?next=")


def test_five_failures_lock_the_username_with_a_vietnamese_message_even_for_the_right_password(c):
    client = Client()
    for _ in range(4):
        assert sign_in(client, c.desk.username, "wrong").status_code == 200
    locked = sign_in(client, c.desk.username, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập tạm thời bị khóa" in page and "15 phút" in page
    again = sign_in(client, c.desk.username)  # the right password does not help while locked
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # another username from the same computer is not locked
    assert sign_in(client, c.specialist.username).status_code == 302


def test_a_leader_without_a_device_enrols_one_before_signing_in(c):
    client = Client()
    response = sign_in(client, c.leader.username)
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/xac-thuc/"
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    assert client.get("/phe-duyet/")["Location"].startswith("/dang-nhap/")

    page = client.get("/dang-nhap/xac-thuc/").content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR carries the otpauth URL, not the text
    secret = secret_on(page)
    assert secret == secret_text(TOTPDevice.objects.get(user=c.leader, confirmed=False))
    assert client.get("/dang-nhap/xac-thuc/").content.decode().count(secret) == 1  # a reload keeps the key

    wrong = client.post(
        "/dang-nhap/xac-thuc/", {"token": "000000" if code_for(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    TOTPDevice.objects.filter(user=c.leader).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    done = client.post("/dang-nhap/xac-thuc/", {"token": code_for(secret)})
    assert done.status_code == 302 and done["Location"] == "/phe-duyet/"
    assert TOTPDevice.objects.get(user=c.leader).confirmed
    assert client.get("/phe-duyet/").status_code == 200


def test_a_leader_with_a_device_is_asked_for_the_code(c):
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    client = Client()
    assert sign_in(client, c.leader.username)["Location"] == "/dang-nhap/xac-thuc/"
    page = client.get("/dang-nhap/xac-thuc/").content.decode()
    assert "<svg" not in page and 'autocomplete="one-time-code"' in page
    done = client.post("/dang-nhap/xac-thuc/", {"token": code_for(secret_text(device))})
    assert done["Location"] == "/phe-duyet/"


def test_center_and_province_administrators_need_the_second_factor_too(c):
    province_admin = factories.user(Role.PROVINCE_ADMIN, province_obj=c.center.commune.province)
    for user in (c.admin, province_admin):
        client = Client()
        assert sign_in(client, user.username)["Location"] == "/dang-nhap/xac-thuc/"
        secret = secret_on(client.get("/dang-nhap/xac-thuc/").content.decode())
        assert client.post("/dang-nhap/xac-thuc/", {"token": code_for(secret)})["Location"] == "/viec/"


def test_a_specialist_with_an_optional_device_is_asked_for_the_code(c):
    client = Client()
    client.force_login(c.specialist)
    page = client.get("/tai-khoan/").content.decode()
    secret = secret_on(page)
    assert client.post("/tai-khoan/", {"token": code_for(secret)})["Location"] == "/viec/"
    assert TOTPDevice.objects.get(user=c.specialist).confirmed
    fresh = Client()
    assert sign_in(fresh, c.specialist.username)["Location"] == "/dang-nhap/xac-thuc/"


def test_a_session_signed_in_elsewhere_without_the_code_is_sent_to_the_code_step(c):
    client = Client()
    client.force_login(c.leader)  # e.g. through the admin's own login form
    response = client.get("/phe-duyet/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/xac-thuc/")
    assert verified_client(c.leader).get("/phe-duyet/").status_code == 200


def test_next_is_followed_only_to_this_site(c):
    client = Client()
    assert sign_in(client, c.specialist.username, next="/ho-so/X/")["Location"] == "/ho-so/X/"
    other = Client()
    assert sign_in(other, c.specialist.username, next="https://evil.example/")["Location"] == "/viec/"


def test_signing_out_ends_the_session(c):
    client = Client()
    sign_in(client, c.desk.username)
    assert client.get("/dang-xuat/").status_code == 200  # a confirmation, not a GET that signs out
    response = client.post("/dang-xuat/")
    assert response["Location"] == "/dang-nhap/"
    assert client.get("/quay/").status_code == 302


def test_a_user_without_any_role_is_told_so():
    user = factories.user()
    client = Client()
    client.force_login(user)
    response = client.get("/viec/")
    assert response.status_code == 403 and "chưa có vai trò" in response.content.decode()


def test_a_superuser_without_a_center_lands_on_the_admin():
    admin = factories.user(is_superuser=True, is_staff=True)
    client = Client()
    assert sign_in(client, admin.username)["Location"] == "/dang-nhap/xac-thuc/"
    secret = secret_on(client.get("/dang-nhap/xac-thuc/").content.decode())
    assert client.post("/dang-nhap/xac-thuc/", {"token": code_for(secret)})["Location"] == "/admin/"


def test_the_admin_sign_in_goes_through_the_staff_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/?next=/admin/"
