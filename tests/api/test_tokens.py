"""Issue 10, defect 10: API tokens expire, carry a scope (center, role) and a last-use time, and a
token of a user who signs in with a second factor cannot be made without a code of that factor."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.api.auth import token_create
from motcua.api.models import ApiToken
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.security.models import SecurityEvent
from motcua.units.models import Role
from tests import factories
from tests.dossiers.support import at, receive, staffed_center, version

pytestmark = pytest.mark.django_db


def code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_leader_token_needs_a_valid_code_of_the_second_factor():
    s = staffed_center()
    with pytest.raises(PermissionDenied):
        token_create(user=s.leader, name="tích hợp")
    device = TOTPDevice.objects.create(user=s.leader, name="phone", confirmed=True)
    with pytest.raises(PermissionDenied):
        token_create(user=s.leader, name="tích hợp", otp_code="000000" if code(device) != "000000" else "1")
    token = token_create(user=s.leader, name="tích hợp", otp_code=code(device))
    assert bearer(token).get("/api/v1/dossiers").status_code == 200
    event = SecurityEvent.objects.get(kind="api_token_created")
    assert event.subject == s.leader and event.detail["second_factor"] is True
    # a desk officer (no second factor required) still gets one without a code
    assert token_create(user=s.desk, name="máy quét")


def test_the_cli_refuses_a_leader_token_without_a_totp_code_and_accepts_a_right_one():
    s = staffed_center()
    device = TOTPDevice.objects.create(user=s.leader, name="phone", confirmed=True)
    with pytest.raises(CommandError) as refused:
        call_command("api_token", "create", "--username", s.leader.username)
    assert "second factor" in str(refused.value) or "xác thực hai bước" in str(refused.value)
    assert not ApiToken.objects.exists()
    out = io.StringIO()
    call_command(
        "api_token",
        "create",
        "--username",
        s.leader.username,
        "--totp",
        code(device),
        "--days",
        "7",
        stdout=out,
    )
    token = out.getvalue().strip()
    row = ApiToken.objects.get()
    assert token.startswith("mc_") and timedelta(days=6) < row.expires_at - timezone.now() <= timedelta(
        days=7
    )


def test_an_expired_token_is_refused_with_401_and_use_is_recorded():
    s = staffed_center()
    token = token_create(user=s.desk, name="máy quét", days=1)
    row = ApiToken.objects.get()
    assert row.last_used_at is None
    assert bearer(token).get("/api/v1/dossiers").status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None and timezone.now() - row.last_used_at < timedelta(minutes=1)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(token).get("/api/v1/dossiers").status_code == 401


def test_a_token_scoped_to_one_center_and_role_acts_only_there():
    s, v = staffed_center(), version()
    other = staffed_center(factories.commune(province_obj=s.center.commune.province))
    mine = receive(s, v, when=at("2026-03-02 09:00"))
    theirs = receive(other, v, when=at("2026-03-02 09:30"))
    # a user working in two centers, as desk officer in one and specialist in the other
    both = factories.user(Role.DESK_OFFICER, center_obj=s.center)
    factories.StaffRole.objects.create(user=both, role=Role.SPECIALIST, center=other.center)
    wide = bearer(token_create(user=both, name="tất cả"))
    assert {d["code"] for d in wide.get("/api/v1/dossiers").json()["results"]} >= {mine.code, theirs.code}
    narrow = bearer(token_create(user=both, name="một quầy", center=s.center, role=Role.DESK_OFFICER))
    codes = {d["code"] for d in narrow.get("/api/v1/dossiers").json()["results"]}
    assert mine.code in codes and theirs.code not in codes
    assert narrow.get(f"/api/v1/dossiers/{theirs.code}").status_code == 404
    with pytest.raises(ValidationFailed):  # a center where the user has no role
        token_create(user=s.desk, name="x", center=other.center)


def test_the_province_administrator_token_needs_the_code_too():
    s = staffed_center()
    with pytest.raises(PermissionDenied):
        token_create(user=s.province_admin, name="báo cáo")
    assert factories.api_token(s.province_admin)


def test_the_cli_lists_tokens_with_scope_expiry_and_last_use():
    s = staffed_center()
    token = token_create(user=s.desk, name="máy quét", center=s.center, role=Role.DESK_OFFICER)
    bearer(token).get("/api/v1/dossiers")
    out = io.StringIO()
    call_command("api_token", "list", "--username", s.desk.username, stdout=out)
    line = out.getvalue().strip()
    assert token[3:11] in line and s.center.agency_code in line and "desk_officer" in line
    assert "last used" in line and "active" in line
