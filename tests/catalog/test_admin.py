"""Admin screens: the same rules as the services, shown as form errors; used versions are frozen."""

import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from motcua.catalog import selectors, services
from motcua.catalog.models import Procedure, ProcedureVersion
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(admin_client):
    admin_client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def _post_data(procedure: Procedure, *, steps, components=(("1", "Tờ khai"),), fees=(), **overrides) -> dict:
    data = {
        "procedure": procedure.pk,
        "effective_from": "2025-07-01",
        "effective_to": "",
        "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "level": "commune",
        "competent_unit_type": "UBND cấp xã",
        "applicants": "",
        "steps_description": "",
        "limit_kind": "working_days",
        "limit_amount": "3",
        "limit_note": "",
        "channels": ["counter", "online_full"],
        "result_type": "",
        "legal_basis": "",
        "fee_note": "",
    }
    for prefix, rows, keys in (
        ("components", components, ("position", "name")),
        ("fees", fees, ("position", "name", "kind", "channel", "amount")),
        ("steps", steps, ("position", "name", "role", "budget_days")),
    ):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0})
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{key}": value for key, value in zip(keys, row, strict=True)})
            if prefix == "components":
                data.update(
                    {
                        f"{prefix}-{i}-paper_form": "original",
                        f"{prefix}-{i}-copies": 1,
                        f"{prefix}-{i}-mandatory": "on",
                    }
                )
    data.update(overrides)
    return data


def test_admin_refuses_budgets_beyond_the_limit_with_the_figures(admin_client):
    # given a procedure without versions
    procedure = Procedure.objects.create(national_code="1.004873", field=factories.field())
    # when a version is added whose steps need 4 days for a 3-day limit
    response = admin_client.post(
        reverse("admin:catalog_procedureversion_add"),
        _post_data(procedure, steps=[("1", "Thẩm định", "specialist", "3"), ("2", "Ký", "leader", "1")]),
    )
    # then the form is shown again with the service's wording, and nothing is saved
    assert response.status_code == 200
    assert (
        "The internal process steps take 4 working days in total, "
        "but the time limit (3 working days) allows at most 3" in response.content.decode()
    )
    assert not ProcedureVersion.objects.exists()


def test_admin_refuses_duplicate_positions_and_fees_for_channels_not_offered(admin_client):
    procedure = Procedure.objects.create(national_code="1.004873", field=factories.field())
    response = admin_client.post(
        reverse("admin:catalog_procedureversion_add"),
        _post_data(
            procedure,
            steps=[("1", "Thẩm định", "specialist", "1"), ("1", "Ký", "leader", "1")],
            fees=[("1", "Lệ phí", "fixed", "post", "1000")],
        ),
    )
    page = response.content.decode()
    assert "Step position 1 is used twice" in page
    assert "The fee is for channel post, which the procedure does not offer" in page
    assert not ProcedureVersion.objects.exists()


def test_admin_saves_through_the_service_path(admin_client):
    # given a valid version typed with decomposed accents
    procedure = Procedure.objects.create(national_code="1.004873", field=factories.field())
    nfd = unicodedata.normalize("NFD", "Cấp Giấy xác nhận tình trạng hôn nhân")
    response = admin_client.post(
        reverse("admin:catalog_procedureversion_add"),
        _post_data(
            procedure, name=nfd, steps=[("1", "Thẩm định", "specialist", "2"), ("2", "Ký", "leader", "1")]
        ),
    )
    # then it is saved as version 1, normalized, and searchable without accents
    assert response.status_code == 302, response.content.decode()[:2000]
    version = ProcedureVersion.objects.get()
    assert version.version == 1
    assert version.name == "Cấp Giấy xác nhận tình trạng hôn nhân"
    assert version.search_text == "cap giay xac nhan tinh trang hon nhan 1.004873"
    assert [s.name for s in version.steps.all()] == ["Thẩm định", "Ký"]


def test_a_used_version_cannot_be_changed_in_the_admin(admin_client):
    version = factories.catalog_version()
    check = lambda v: v.pk == version.pk  # noqa: E731
    selectors.register_version_usage_check(check)
    try:
        url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
        page = admin_client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        refused = admin_client.post(
            url, _post_data(version.procedure, steps=[("1", "Xử lý", "specialist", "1")])
        )
        assert refused.status_code == 403
    finally:
        selectors._usage_checks.remove(check)


def test_the_new_version_action_copies_a_version(admin_client):
    version = factories.catalog_version()
    response = admin_client.post(
        reverse("admin:catalog_procedureversion_changelist"),
        {"action": "new_version", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    assert version.procedure.versions.count() == 2


def test_admin_lists_render_and_search_without_accents(admin_client):
    services.catalog_load_demo()
    for name in ("field", "procedure", "procedureversion"):
        assert admin_client.get(reverse(f"admin:catalog_{name}_changelist")).status_code == 200
    found = admin_client.get(reverse("admin:catalog_procedure_changelist"), {"q": "dang ky khai sinh"})
    assert "1.001193" in found.content.decode()
    version = ProcedureVersion.objects.get(procedure__national_code="1.001193")
    assert (
        admin_client.get(reverse("admin:catalog_procedureversion_change", args=[version.pk])).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:catalog_procedure_change", args=[version.procedure_id])).status_code
        == 200
    )
