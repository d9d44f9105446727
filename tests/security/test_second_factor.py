"""Issue 11, defect 6: a plain "wrong code" message, a real lock-out, backup codes, and the reset
of a lost authenticator by a center administrator."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.security.models import BackupCode, SecurityEvent
from motcua.units.models import Role
from tests import factories
from tests.staff.support import PASSWORD, staffed, verified_client

pytestmark = pytest.mark.django_db
LOCK_TEXT = "Nhập sai mã quá nhiều lần"


def code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong(device) -> str:
    return "000000" if code(device) != "000000" else "111111"


def at_code_step(user) -> Client:
    client = Client()
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/dang-nhap/xac-thuc/"
    return client


def test_one_wrong_code_then_the_right_one_signs_in_with_a_plain_message_first():
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    client = at_code_step(c.leader)
    first = client.post("/dang-nhap/xac-thuc/", {"token": wrong(device)})
    page = first.content.decode()
    assert first.status_code == 200 and "Mã không đúng" in page and LOCK_TEXT not in page
    done = client.post("/dang-nhap/xac-thuc/", {"token": code(device)})  # at once, not a second later
    assert done.status_code == 302 and done["Location"] == "/phe-duyet/"


def test_five_wrong_codes_lock_the_codes_for_a_while_then_the_right_code_works():
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    client = at_code_step(c.leader)
    for n in range(5):
        page = client.post("/dang-nhap/xac-thuc/", {"token": wrong(device)}).content.decode()
        assert (LOCK_TEXT in page) == (n == 4), n
    refused = client.post("/dang-nhap/xac-thuc/", {"token": code(device)}).content.decode()
    assert LOCK_TEXT in refused and "5 phút" in refused
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=6)
    )
    assert client.post("/dang-nhap/xac-thuc/", {"token": code(device)})["Location"] == "/phe-duyet/"


def test_backup_codes_are_shown_once_stored_hashed_and_each_works_once():
    c = staffed()
    device = TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    signed_in = verified_client(c.leader, device)
    assert "mã dự phòng" in signed_in.get("/tai-khoan/").content.decode().lower()
    page = signed_in.post("/tai-khoan/ma-du-phong/").content.decode()
    codes = re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4})</code>", page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "no-store" in signed_in.get("/tai-khoan/ma-du-phong/")["Cache-Control"]
    stored = list(BackupCode.objects.filter(user=c.leader).values_list("digest", flat=True))
    assert len(stored) == 10 and not any(
        code_.replace("-", "") in d or code_ in d for d in stored for code_ in codes
    )
    assert codes[0] not in signed_in.get("/tai-khoan/ma-du-phong/").content.decode()  # shown once

    client = at_code_step(c.leader)
    done = client.post("/dang-nhap/xac-thuc/", {"token": codes[0].upper()})
    assert done["Location"] == "/phe-duyet/"
    again = at_code_step(c.leader).post("/dang-nhap/xac-thuc/", {"token": codes[0]})
    assert again.status_code == 200 and "Mã không đúng" in again.content.decode()
    assert SecurityEvent.objects.filter(subject=c.leader, kind="backup_code_used").count() == 1


def test_a_center_administrator_resets_a_lost_authenticator_and_it_is_recorded():
    c = staffed()
    TOTPDevice.objects.create(user=c.leader, name="lost phone", confirmed=True)
    BackupCode.objects.create(user=c.leader, salt="x", digest="y")
    admin = verified_client(c.admin)
    listing = admin.get("/tai-khoan/nhan-vien/").content.decode()
    assert c.leader.username in listing and "Đặt lại" in listing
    response = admin.post(f"/tai-khoan/nhan-vien/{c.leader.pk}/dat-lai-xac-thuc/")
    assert response.status_code == 303
    assert not TOTPDevice.objects.filter(user=c.leader).exists()
    assert not BackupCode.objects.filter(user=c.leader).exists()
    event = SecurityEvent.objects.get(kind="authenticator_reset")
    assert (event.actor, event.subject, event.center_id) == (c.admin, c.leader, c.center.pk)
    assert "Đặt lại xác thực" in admin.get("/nhat-ky-truy-cap/").content.decode()
    # the leader enrols a new phone at the next sign-in
    client = at_code_step(c.leader)
    assert 'id="otp-secret"' in client.get("/dang-nhap/xac-thuc/").content.decode()


def test_only_administrators_of_the_staff_members_center_can_reset():
    c, other = staffed(), staffed(prefix="b-")
    TOTPDevice.objects.create(user=c.leader, name="phone", confirmed=True)
    assert (
        verified_client(other.admin).post(f"/tai-khoan/nhan-vien/{c.leader.pk}/dat-lai-xac-thuc/").status_code
        == 404
    )
    assert (
        verified_client(c.leader)
        .post(f"/tai-khoan/nhan-vien/{c.specialist.pk}/dat-lai-xac-thuc/")
        .status_code
        == 403
    )
    province_admin = factories.user(Role.PROVINCE_ADMIN, province_obj=c.center.commune.province)
    TOTPDevice.objects.create(user=province_admin, name="phone", confirmed=True)
    assert (
        verified_client(c.admin)
        .post(f"/tai-khoan/nhan-vien/{province_admin.pk}/dat-lai-xac-thuc/")
        .status_code
        == 404
    )
    assert TOTPDevice.objects.filter(user__in=[c.leader, province_admin], name="phone").count() == 2
    assert not SecurityEvent.objects.filter(kind="authenticator_reset").exists()
