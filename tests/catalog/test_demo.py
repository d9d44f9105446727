"""The shipped demo catalog: loads through the import service, idempotent, with the domain's figures."""

from decimal import Decimal

import pytest

from motcua.catalog import exchange, rules, selectors, services
from motcua.catalog.models import Field, Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


def _version(name: str) -> ProcedureVersion:
    return selectors.procedure_versions_in_force(selectors.today_local()).get(name=name)


def test_the_demo_catalog_loads_with_at_least_25_procedures_in_7_fields():
    report = services.catalog_load_demo()
    assert Procedure.objects.count() >= 25
    assert Field.objects.filter(procedures__isnull=False).distinct().count() >= 7
    assert report.created == ProcedureVersion.objects.count()
    assert {"HOTICH", "CHUNGTHUC", "CUTRU", "KINHDOANH", "DATDAI", "XAYDUNG", "BTXH", "VANHOA"} <= set(
        Field.objects.values_list("code", flat=True)
    )


def test_loading_the_demo_twice_changes_nothing():
    services.catalog_load_demo()
    again = services.catalog_load_demo()
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == ProcedureVersion.objects.count()


def test_the_demo_file_is_in_canonical_export_form():
    services.catalog_load_demo()
    text, _ = exchange.export_catalog("json")
    assert text == services.DEMO_CATALOG.read_text(encoding="utf-8")


def test_the_demo_uses_the_domain_time_limits_and_fees():
    services.catalog_load_demo()
    birth = _version("Đăng ký khai sinh")
    assert (birth.limit_kind, birth.boundary_free) == ("same_day", True)
    assert [f.kind for f in birth.fees.all()] == ["free"]

    assert _version("Cấp Giấy xác nhận tình trạng hôn nhân").time_limit.amount == 3

    copy = ProcedureVersion.objects.get(procedure__national_code="2.000815")
    fee = copy.fees.get().rule
    assert rules.fee_amount(fee, pages=3) == 5000
    assert rules.fee_amount(fee, pages=1000, copies=2) == 400_000

    signature = ProcedureVersion.objects.get(procedure__national_code="2.000884")
    assert rules.total_fee([f.rule for f in signature.fees.all()], channel="counter") == 10_000

    permanent = _version("Đăng ký thường trú")
    permanent_fees = [f.rule for f in permanent.fees.all()]
    assert permanent.time_limit.amount == 7
    assert rules.total_fee(permanent_fees, channel="counter") == 20_000
    assert rules.total_fee(permanent_fees, channel="online_full") == 10_000

    temporary = [f.rule for f in _version("Đăng ký tạm trú").fees.all()]
    assert (
        rules.total_fee(temporary, channel="counter"),
        rules.total_fee(temporary, channel="online_full"),
    ) == (
        15_000,
        7_000,
    )
    assert _version("Đăng ký thành lập hộ kinh doanh").time_limit.amount == 3
    assert _version("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ").limit_kind == "calendar_days"


def test_every_demo_version_has_an_internal_process_that_fits_its_limit():
    services.catalog_load_demo()
    for version in ProcedureVersion.objects.prefetch_related("steps"):
        budgets = [s.budget_days for s in version.steps.all()]
        assert budgets, version
        assert rules.check_step_budgets(version.time_limit, budgets) is None, version
        assert [s.role for s in version.steps.all()][0] == "desk_officer"
        assert all(b > Decimal(0) for b in budgets)
