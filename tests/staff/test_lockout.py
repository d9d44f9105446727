"""Issue 10, defect 6: a lock-out that nobody can turn against a colleague, and a limit by address.

Today's main refuses the right password for 15 minutes once anyone typed five wrong ones, and never
limits one password tried against every account from one address."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.security.models import SecurityEvent
from tests import factories

from .support import PASSWORD, staffed

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/dang-nhap/", {"username": username, "password": password, **extra})


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def lock(username: str) -> None:
    attacker = Client()  # same address (127.0.0.1) as the colleague, as behind a center's router
    for _ in range(5):
        sign_in(attacker, username, "wrong-password")


def test_the_right_password_and_code_get_through_a_lock_out_someone_else_caused():
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    lock(c.leader.username)
    owner = Client()
    locked = sign_in(owner, c.leader.username)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Đăng nhập tạm thời bị khóa" in page and 'name="token"' in page
    done = sign_in(owner, c.leader.username, token=code(device))
    assert done.status_code == 302 and done["Location"] == "/phe-duyet/"
    assert owner.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert owner.get("/phe-duyet/").status_code == 200
    assert SecurityEvent.objects.filter(subject=c.leader, kind="locked_sign_in").count() == 1


def test_a_wrong_code_or_password_with_the_code_does_not_get_through_and_says_nothing_more():
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    lock(c.leader.username)
    right = code(device)
    wrong_code = "000000" if right != "000000" else "111111"
    for attempt in (
        sign_in(Client(), c.leader.username, token=wrong_code),
        sign_in(Client(), c.leader.username, "wrong-password", token=right),
    ):
        assert attempt.status_code == 429
        assert "Mật khẩu hoặc mã xác thực không đúng" in attempt.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 1  # the wrong code counted


def test_an_account_without_a_second_factor_stays_locked():
    c = staffed()
    lock(c.desk.username)
    assert sign_in(Client(), c.desk.username).status_code == 429
    assert sign_in(Client(), c.desk.username, token="123456").status_code == 429


def test_one_password_tried_against_every_account_from_one_address_is_limited(settings):
    settings.MOTCUA_LOGIN_FAILURES_PER_ADDRESS = 10
    c = staffed()
    sprayer = Client()
    for n in range(10):  # one wrong guess per account: the per-account limit never triggers
        response = sign_in(sprayer, f"someone{n}", "Matkhau@2026")
        assert response.status_code == 200
    blocked = sign_in(sprayer, c.specialist.username)  # even a right password from that address
    assert blocked.status_code == 429 and "_auth_user_id" not in sprayer.session
    other = Client(REMOTE_ADDR="10.0.0.7")  # another address is not affected
    assert sign_in(other, c.specialist.username).status_code == 302


def test_a_user_with_two_factor_signs_in_from_a_limited_address_with_the_code(settings):
    settings.MOTCUA_LOGIN_FAILURES_PER_ADDRESS = 3
    c = staffed()
    device = TOTPDevice.objects.create(user=c.specialist, name="phone", confirmed=True)
    for n in range(3):
        sign_in(Client(), f"ghost{n}", "x")
    client = Client()
    assert sign_in(client, c.specialist.username).status_code == 429
    done = sign_in(client, c.specialist.username, token=code(device))
    assert done.status_code == 302 and done["Location"] == "/viec/"


def test_failures_of_other_addresses_do_not_count(settings):
    settings.MOTCUA_LOGIN_FAILURES_PER_ADDRESS = 3
    c = staffed()
    for n in range(3):
        sign_in(Client(REMOTE_ADDR=f"10.0.1.{n}"), f"ghost{n}", "x")
    assert sign_in(Client(), c.specialist.username).status_code == 302
    assert factories  # the factories module is what staffed() uses
