import pytest

from motcua.units import services
from motcua.units.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_centers():
    return factories.center(), factories.center()


def admin_of(center):
    return services.staff_create(
        username=f"qt{center.pk}",
        password="pw-12345-test",
        full_name="Quản trị",
        role=Role.CENTER_ADMIN,
        center=center,
    )


def test_a_center_admin_sees_only_their_center_in_the_admin(client, two_centers):
    here, there = two_centers
    client.force_login(admin_of(here))
    listing = client.get("/admin/units/servicecenter/")
    assert listing.status_code == 200
    assert here.name in listing.content.decode() and there.name not in listing.content.decode()
    assert client.get(f"/admin/units/servicecenter/{there.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/units/servicecenter/{here.pk}/change/").status_code == 200


def test_a_center_admin_sees_only_their_staff_and_cannot_make_superusers(client, two_centers):
    here, there = two_centers
    mine = factories.user(Role.DESK_OFFICER, center_obj=here, username="mine")
    theirs = factories.user(Role.DESK_OFFICER, center_obj=there, username="theirs")
    client.force_login(admin_of(here))
    listing = client.get("/admin/units/user/").content.decode()
    assert "mine" in listing and "theirs" not in listing
    page = client.get(f"/admin/units/user/{mine.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert client.get(f"/admin/units/user/{theirs.pk}/change/").status_code in (302, 404)


def test_desk_officers_have_no_admin(client, two_centers):
    here, _ = two_centers
    client.force_login(factories.user(Role.DESK_OFFICER, center_obj=here))
    assert client.get("/admin/units/servicecenter/").status_code == 302


def test_a_province_admin_edits_only_their_provinces_calendar_entries(client, two_centers):
    from datetime import date

    from motcua.workdays.services import calendar_override_set

    here, _ = two_centers
    other = factories.province("01", "Hà Nội")
    ours = calendar_override_set(
        day=date(2026, 6, 1), kind="day_off", province=here.commune.province, note="Lễ"
    )
    theirs = calendar_override_set(day=date(2026, 6, 2), kind="day_off", province=other, note="Lễ")
    admin = services.staff_create(
        username="tinh",
        password="pw-12345-test",
        full_name="Tỉnh",
        role=Role.PROVINCE_ADMIN,
        province=here.commune.province,
    )
    client.force_login(admin)
    assert client.get(f"/admin/workdays/calendaroverride/{ours.pk}/change/").status_code == 200
    assert client.get(f"/admin/workdays/calendaroverride/{theirs.pk}/change/").status_code in (302, 404)
    national = client.get("/admin/workdays/calendaroverride/").content.decode()
    assert (
        "02/01/2026" in national
        or "2026-01-02" in national
        or "Jan. 2, 2026" in national
        or "2 tháng 1" in national
    )
