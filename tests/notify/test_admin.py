"""The province administrator edits their channel settings and templates in the admin, with the
length checks and a preview; other provinces' rows stay out of reach."""

import pytest

from motcua.notify.models import MessageTemplate, ProvinceIntegration
from motcua.units.models import Role
from motcua.units.services import staff_role_grant
from tests import factories
from tests.staff.support import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin():
    user = factories.user()
    staff_role_grant(user=user, role=Role.PROVINCE_ADMIN, province=factories.province())
    return verified_client(user)


def test_a_too_long_sms_template_is_refused_with_the_reason(province_admin):
    data = {"province": "82", "kind": "received", "channel": "sms", "body": "Hồ sơ {code} " + "x" * 150}
    page = province_admin.post("/admin/notify/messagetemplate/add/", data).content.decode()
    assert "một tin chỉ chứa 160" in page
    assert not MessageTemplate.objects.exists()


def test_a_saved_template_shows_its_preview(province_admin):
    data = {"province": "82", "kind": "result_ready", "channel": "sms", "body": "Hồ sơ {code} đã có kết quả."}
    response = province_admin.post("/admin/notify/messagetemplate/add/", data)
    assert response.status_code == 302
    row = MessageTemplate.objects.get()
    page = province_admin.get(f"/admin/notify/messagetemplate/{row.pk}/change/").content.decode()
    assert "Ho so H82.29242-261008-0975 da co ket qua." in page


def test_the_admin_sees_only_their_provinces_settings(province_admin):
    ProvinceIntegration.objects.create(province=factories.province(), sms_url="https://sms.dongthap.example")
    ProvinceIntegration.objects.create(
        province=factories.province("79", "Hồ Chí Minh"), sms_url="https://x.example"
    )
    page = province_admin.get("/admin/notify/provinceintegration/").content.decode()
    assert "sms.dongthap.example" in page and "x.example" not in page
    other = ProvinceIntegration.objects.get(province_id="79")
    assert province_admin.get(f"/admin/notify/provinceintegration/{other.pk}/change/").status_code == 302
