import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.units.models import Commune, Role, ServiceCenter, StaffRole


@pytest.mark.django_db
def test_demo_loads_dong_thap_with_three_staffed_centers_and_the_catalog(capsys):
    call_command("demo", if_new=True)

    assert Commune.objects.filter(province_id="82").count() == 102
    centers = ServiceCenter.objects.select_related("commune")
    assert sorted(c.commune.name for c in centers) == ["Phường Sa Đéc", "Xã Mỹ An Hưng", "Xã Phú Thọ"]
    for center in centers:
        roles = set(StaffRole.objects.filter(center=center).values_list("role", flat=True))
        assert roles == {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.CENTER_ADMIN}
        assert center.departments.count() == 3 and center.counters.count() == 3
    assert StaffRole.objects.filter(role=Role.PROVINCE_ADMIN, province_id="82").exists()
    assert Procedure.objects.count() >= 25
    out = capsys.readouterr().out
    assert "myanhung.motcua" in out and "motcua-demo" in out


@pytest.mark.django_db
def test_running_the_demo_again_keeps_the_data():
    call_command("demo", if_new=True)
    before = (ServiceCenter.objects.count(), StaffRole.objects.count(), Procedure.objects.count())
    call_command("demo", if_new=True)
    call_command("demo")
    assert (ServiceCenter.objects.count(), StaffRole.objects.count(), Procedure.objects.count()) == before
