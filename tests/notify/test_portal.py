"""The national portal sync: field names, dates, state code table, login session, create then
update, order per dossier, and `motcua portal reconcile`."""

import io

import pytest
from django.core.management import call_command

from motcua.dossiers import services
from motcua.notify import delivery
from motcua.notify.models import OutboxMessage, PortalStateCode, Status
from tests.dossiers.support import at, receive, staffed_center, version
from tests.notify.support import integration, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(portal_server):
    s = staffed_center()
    integration(
        s.center.commune.province_id,
        portal_url=portal_server.url,
        portal_username="cong",
        portal_password="matkhau",
    )
    return s, version(name="Đăng ký khai sinh", national_code="1.001193")


def act(s, d, actor, action, when, **kwargs):
    return published(
        lambda: services.dossier_act(actor=actor, dossier=d, action=action, at=at(when), **kwargs)
    )


def test_the_dossier_is_created_with_the_portals_field_names_then_its_progress(setup, portal_server):
    s, v = setup
    d = published(lambda: receive(s, v, when=at("2026-03-02 09:00")))
    delivery.drain(now=at("2026-03-02 09:01"))
    assert [r["path"] for r in portal_server.requests] == ["/login", "/hoso", f"/hoso/{d.code}/tiendo"]
    sessions = {r["headers"].get("session") for r in portal_server.requests[1:]}
    assert len(sessions) == 1 and sessions <= portal_server.sessions
    sent = portal_server.dossiers[d.code]
    assert (
        sent["MaHoSo"] == d.code and sent["MaTTHC"] == "1.001193" and sent["TenTTHC"] == "Đăng ký khai sinh"
    )
    assert sent["ChuHoSo"] == "Trần Thị Ánh Nguyệt" and sent["LoaiDoiTuong"] == "1"
    assert sent["NgayTiepNhan"] == "20260302090000" and sent["NgayHenTra"] == "20260305170000"
    assert sent["TrangThaiHoSo"] == "2" and sent["DonViXuLy"] == s.center.agency_code
    for name in (
        "Email",
        "SoDienThoai",
        "TrichYeuHoSo",
        "NgayTra",
        "HinhThuc",
        "TaiLieuNop",
        "DanhSachLePhi",
        "DanhSachHoSoBoSung",
        "DanhSachGiayToKetQua",
        "MaLinhVuc",
    ):
        assert name in sent
    [step] = portal_server.progress[d.code]
    assert set(step) >= {
        "NguoiXuLy",
        "ChucDanh",
        "ThoiDiemXuLy",
        "PhongBanXuLy",
        "NoiDungXuLy",
        "TrangThai",
        "NgayKetThucTheoQuyDinh",
    }
    assert step["NguoiXuLy"] == "Nguyễn Thị Hồng" and step["ThoiDiemXuLy"] == "20260302090000"


def test_later_events_update_in_order_and_use_the_mapping_table(setup, portal_server):
    s, v = setup
    PortalStateCode.objects.update_or_create(state="in_progress", defaults={"code": "DXL"})  # edited
    d = published(lambda: receive(s, v, when=at("2026-03-02 09:00")))
    d = act(s, d, s.desk, "transfer", "2026-03-02 09:30")
    portal_server.fail_next = 1  # the first call (login) fails: nothing may overtake
    delivery.drain(now=at("2026-03-02 09:31"))
    delivery.drain(now=at("2026-03-02 09:40"))
    assert [a for a in portal_server.applied] == [
        (d.code, "create"),
        (d.code, "progress"),
        (d.code, "update"),
        (d.code, "progress"),
    ]
    assert portal_server.dossiers[d.code]["TrangThaiHoSo"] == "DXL"
    assert portal_server.progress[d.code][1]["TrangThai"] == "DXL"


def test_an_expired_session_is_opened_again(setup, portal_server):
    s, v = setup
    d = published(lambda: receive(s, v, when=at("2026-03-02 09:00")))
    delivery.drain(now=at("2026-03-02 09:01"))
    portal_server.sessions.clear()  # the portal forgot every session
    act(s, d, s.desk, "transfer", "2026-03-02 09:30")
    delivery.drain(now=at("2026-03-02 09:31"))
    logins = [r for r in portal_server.requests if r["path"] == "/login"]
    assert len(logins) == 2
    assert OutboxMessage.objects.filter(status=Status.DELIVERED).count() == 4


def test_a_lost_answer_to_the_create_call_becomes_an_update(setup, portal_server):
    s, v = setup
    d = published(lambda: receive(s, v, when=at("2026-03-02 09:00")))
    first = OutboxMessage.objects.filter(kind="dossier").get()
    taken, _ = delivery.claim(now=at("2026-03-02 09:01"), limit=1, lease=60)
    from motcua.notify.channels import send

    send(taken[0], at("2026-03-02 09:01"))  # created on the portal; the worker dies before recording it
    from motcua.notify.models import PortalRecord

    PortalRecord.objects.all().delete()
    portal_server.seen_keys.clear()  # a receiver that does not keep keys: the retry must not fail
    delivery.drain(now=at("2026-03-02 09:05"))
    first.refresh_from_db()
    assert first.status == Status.DELIVERED
    assert [a for a in portal_server.applied if a[1] != "progress"] == [
        (d.code, "create"),
        (d.code, "update"),
    ]


def reconcile(day: str):
    out = io.StringIO()
    try:
        call_command("portal", "reconcile", "--date", day, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_reconcile_lists_differences_and_exits_1(setup, portal_server):
    s, v = setup
    d1 = published(lambda: receive(s, v, when=at("2026-03-02 09:00")))
    d2 = published(lambda: receive(s, v, when=at("2026-03-02 10:00")))
    delivery.drain(now=at("2026-03-02 10:01"))
    assert reconcile("2026-03-02") == (0, "2 dossiers compared, 0 differences.\n")
    act(s, d1, s.desk, "transfer", "2026-03-02 11:00")  # not yet sent to the portal
    portal_server.dossiers.pop(d2.code)  # and the portal lost the other one
    code, out = reconcile("2026-03-02")
    assert code == 1
    assert f"{d1.code}\tTrangThaiHoSo\tours='3'\tportal='2'" in out
    assert f"{d2.code}\tMaHoSo\tours='{d2.code}'\tportal=''" in out
    assert out.endswith("2 dossiers compared, 2 differences.\n")
    assert reconcile("2026-03-03") == (0, "0 dossiers compared, 0 differences.\n")


@pytest.mark.django_db
def test_every_state_code_is_a_row_the_administrator_can_edit():
    """The migration's rows are the code's defaults (run again here: a transactional test of the
    same worker flushes what migrations wrote)."""
    from importlib import import_module

    from django.apps import apps

    from motcua.notify.nationalportal import DEFAULT_STATE_CODES

    seed = import_module("motcua.notify.migrations.0003_seed_portal_state_codes").seed
    PortalStateCode.objects.update_or_create(state="received", defaults={"code": "TN"})  # an edit
    seed(apps, None)  # keeps the edit
    rows = dict(PortalStateCode.objects.values_list("state", "code"))
    assert rows == DEFAULT_STATE_CODES | {"received": "TN"}
