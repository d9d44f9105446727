import pytest

from motcua.core.errors import NotFound
from motcua.units.models import Department, Role
from motcua.units.scoping import center_get_for_user, centers_for_user, scope_queryset, user_scope
from tests import factories


@pytest.fixture
def two_communes(db):
    here, there = factories.center(), factories.center()
    return here, there, factories.department(here), factories.department(there)


def test_a_commune_officer_cannot_read_another_communes_records(two_communes):
    here, there, dept_here, dept_there = two_communes
    officer = factories.user(Role.DESK_OFFICER, center_obj=here)

    assert list(centers_for_user(officer)) == [here]
    assert list(scope_queryset(Department.objects.all(), officer)) == [dept_here]
    assert center_get_for_user(officer, here.id) == here
    with pytest.raises(NotFound):
        center_get_for_user(officer, there.id)


def test_a_province_admin_sees_every_center_of_the_province_only(two_communes):
    here, there, *_ = two_communes
    elsewhere = factories.center(factories.commune(province_obj=factories.province("01", "Hà Nội")))
    admin = factories.user(Role.PROVINCE_ADMIN, province_obj=here.commune.province)

    assert set(centers_for_user(admin)) == {here, there}
    with pytest.raises(NotFound):
        center_get_for_user(admin, elsewhere.id)


def test_a_user_without_roles_sees_nothing(two_communes):
    nobody = factories.user()
    assert not centers_for_user(nobody).exists()
    assert not scope_queryset(Department.objects.all(), nobody).exists()


def test_roles_are_per_center(two_communes):
    here, there, *_ = two_communes
    leader = factories.user(Role.LEADER, center_obj=here)
    scope = user_scope(leader)
    assert scope.has_role(here.id, Role.LEADER)
    assert not scope.has_role(there.id, Role.LEADER)


def test_inactive_and_anonymous_users_see_nothing(two_communes):
    from django.contrib.auth.models import AnonymousUser

    here, *_ = two_communes
    officer = factories.user(Role.DESK_OFFICER, center_obj=here, is_active=False)
    assert not centers_for_user(officer).exists()
    assert not centers_for_user(AnonymousUser()).exists()


def test_bad_center_ids_look_like_missing_ones(two_communes):
    here, *_ = two_communes
    officer = factories.user(Role.DESK_OFFICER, center_obj=here)
    for bad in ("abc", None, 10**9):
        with pytest.raises(NotFound):
            center_get_for_user(officer, bad)
