"""Electronic results end to end: the citizen downloads the signed result from the tracking page,
anyone uploads it to the check page and reads "valid"; the QR's check page says who signed."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.results import pki
from motcua.results.models import KeyKind, ResultDocument, SigningKey
from motcua.units.models import Role
from tests import factories
from tests.results.support import approve, receive, to_leader

from .conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


class World:
    pass


@pytest.fixture
def signed_dossier(transactional_db, live_server, settings, tmp_path):
    authority = pki.make_ca("CA Thử nghiệm Một cửa")
    settings.MOTCUA_RESULTS_TRUST = [str(pki.save_ca(authority, tmp_path / "ca"))]
    settings.PUBLIC_URL = live_server.url
    key = pki.issue_pkcs12(
        tmp_path / "ca",
        cn="Võ Thành Nhân",
        org="UBND xã Mỹ An Hưng",
        out=tmp_path / "leader.p12",
        password="p",
    )
    env = World()
    env.center = factories.center()
    dept = factories.department(env.center, code="VP")
    env.version = factories.procedure_version(
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        components=("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",),
        result_type="Giấy xác nhận tình trạng hôn nhân",
        effective_from=date(2020, 1, 1),
    )
    env.version.steps.update(department_code="VP")
    env.desk = factories.user(Role.DESK_OFFICER, center_obj=env.center)
    env.specialist = factories.user(Role.SPECIALIST, center_obj=env.center, department_obj=dept)
    env.leader = factories.user(Role.LEADER, center_obj=env.center, full_name="Võ Thành Nhân")
    SigningKey.objects.create(
        center=env.center, user=env.leader, kind=KeyKind.PKCS12, path=str(key), password="p"
    )
    return approve(env, to_leader(env, receive(env)))


def test_download_from_tracking_then_check_the_file_on_the_check_page(page, signed_dossier, tmp_path):
    dossier = signed_dossier
    page.goto(f"/tra-cuu/{dossier.code}/?s={dossier.secret}")
    link = page.get_by_role("link", name="Tải kết quả đã ký số (PDF)")
    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.goto("/xac-thuc/")
    page.get_by_label("Tệp PDF").set_input_files(str(saved))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    answer = page.locator("#check-answer")
    answer.wait_for()
    assert answer.get_attribute("data-status") == "valid"
    assert "Hợp lệ" in answer.inner_text() and "Võ Thành Nhân" in answer.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "result-check-upload")

    result = ResultDocument.objects.get(dossier=dossier)
    page.goto(f"/xac-thuc/{result.check_id}/")
    page.locator("#check-answer[data-status='valid']").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "result-check")
