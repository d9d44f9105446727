"""Catalog services: validation, normalization, versioning."""

import dataclasses
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalog import selectors, services
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.specs import CatalogInvalid, FeeSpec, StepSpec
from motcua.core.errors import DomainError
from motcua.workdays.core import TimeLimit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_creating_a_version_stores_components_fees_and_steps_in_order():
    # given a valid description of a procedure version
    spec = factories.version_spec()
    # when it is created for a new national code
    version = services.procedure_version_create(national_code="1.004873", field=factories.field(), spec=spec)
    # then the procedure exists with version 1 and its children in order
    assert version.procedure.national_code == "1.004873"
    assert version.version == 1
    assert [c.position for c in version.components.all()] == [1, 2]
    assert [s.name for s in version.steps.all()] == ["Thẩm định", "Phê duyệt"]
    assert version.fees.get().kind == "set_by_province"


def test_text_is_stored_in_nfc_and_the_search_key_folds_accents():
    # given a name typed as NFD (decomposed accents), as some keyboards send it
    nfd_name = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert nfd_name != "Đăng ký khai sinh"
    # when the version is created
    version = factories.catalog_version(
        national_code="1.001193",
        name=nfd_name,
        limit=TimeLimit.parse("same day"),
        steps=(StepSpec("Xử lý", "specialist", Decimal("0.5")),),
    )
    # then it is stored as NFC and searchable without accents, with the national code
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"
    assert version.search_text == "dang ky khai sinh 1.001193"


def test_budgets_beyond_the_limit_are_refused_with_the_figures():
    # given steps needing 4.5 working days for a 3-working-day procedure
    spec = factories.version_spec(
        steps=(
            StepSpec("Thẩm định", "specialist", Decimal("4")),
            StepSpec("Phê duyệt", "leader", Decimal("0.5")),
        )
    )
    # when it is created
    with pytest.raises(CatalogInvalid) as caught:
        services.procedure_version_create(national_code="1.000001", field=factories.field(), spec=spec)
    # then the error names the field and the figures, and nothing is written
    problem = caught.value.problems[0]
    assert problem.field == "steps"
    assert problem.message == (
        "the internal process steps take 4.5 working days in total, but the time limit (3 working days) "
        "allows at most 3"
    )
    assert not Procedure.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"channels": ("counter", "fax")}, "channels", 'unknown channel "fax"'),
        ({"channels": ()}, "channels", "at least one channel"),
        ({"channels": ("counter", "counter")}, "channels", "listed twice"),
        ({"fees": (FeeSpec("Lệ phí", "fixed", channel="online_full", amount=1),)}, None, None),
        ({"fees": (FeeSpec("Lệ phí", "fixed", channel="post", amount=1),)}, "fees", "does not offer"),
        ({"fees": (FeeSpec("Lệ phí", "fixed"),)}, "fees", "amount above 0"),
        ({"fees": (FeeSpec("Lệ phí", "free", amount=5),)}, "fees", "takes no amount"),
        ({"fees": (FeeSpec("Phí", "per_page", amount=2000, pages_at_first_rate=2),)}, "fees", "or neither"),
        ({"steps": (StepSpec("Xử lý", "janitor", Decimal(1)),)}, "steps", 'unknown role "janitor"'),
        ({"steps": (StepSpec("Xử lý", "specialist", Decimal(0)),)}, "steps", "above 0"),
        ({"steps": (StepSpec("Xử lý", "specialist", Decimal("0.125")),)}, "steps", "more than 2 decimals"),
        ({"name": "  "}, "name", "needs a name"),
        ({"effective_to": date(2025, 6, 30)}, "effective_to", "before it starts"),
        ({"level": "district"}, "level", 'unknown level "district"'),
    ],
)
def test_each_rule_is_checked_and_named(overrides, field, fragment):
    spec = factories.version_spec(**overrides)
    if field is None:
        services.procedure_version_create(national_code="1.000002", field=factories.field(), spec=spec)
        return
    with pytest.raises(CatalogInvalid) as caught:
        services.procedure_version_create(national_code="1.000002", field=factories.field(), spec=spec)
    assert any(p.field == field and fragment in p.message for p in caught.value.problems), (
        caught.value.problems
    )


def test_a_new_version_takes_effect_later_and_the_old_one_stays_for_earlier_dates():
    # given version 1 from 01/07/2025
    first = factories.catalog_version(national_code="1.004194", name="Đăng ký thường trú")
    # when version 2 is created from 01/01/2026 with a new name
    second = services.procedure_version_create(
        national_code="1.004194",
        field=first.procedure.field,
        spec=factories.version_spec(effective_from=date(2026, 1, 1), name="Đăng ký thường trú (mới)"),
    )
    # then it is numbered 2 and each date finds its version
    assert second.version == 2
    procedure = first.procedure
    assert selectors.procedure_version_at(procedure, date(2025, 6, 30)) is None
    assert selectors.procedure_version_at(procedure, date(2025, 7, 1)) == first
    assert selectors.procedure_version_at(procedure, date(2025, 12, 31)) == first
    assert selectors.procedure_version_at(procedure, date(2026, 1, 1)) == second
    assert list(selectors.procedure_versions_in_force(date(2025, 12, 31))) == [first]
    assert list(selectors.procedure_versions_in_force(date(2026, 1, 1))) == [second]


def test_an_ended_version_is_in_force_through_its_last_day_only():
    version = factories.catalog_version(effective_to=date(2025, 12, 31))
    assert selectors.procedure_version_at(version.procedure, date(2025, 12, 31)) == version
    assert selectors.procedure_version_at(version.procedure, date(2026, 1, 1)) is None
    assert not selectors.procedure_versions_in_force(date(2026, 1, 1)).exists()


def test_two_versions_cannot_take_effect_on_the_same_day():
    version = factories.catalog_version(national_code="1.000003")
    with pytest.raises(CatalogInvalid) as caught:
        services.procedure_version_create(
            national_code="1.000003", field=version.procedure.field, spec=factories.version_spec()
        )
    assert caught.value.problems[0].field == "effective_from"
    assert "01/07/2025" in caught.value.problems[0].message


def test_an_unused_version_can_be_edited_in_place():
    version = factories.catalog_version()
    updated = services.procedure_version_update(
        version=version, spec=factories.version_spec(name="Tên mới", fees=(FeeSpec("Lệ phí", "free"),))
    )
    assert updated.pk == version.pk
    assert updated.name == "Tên mới"
    assert [f.kind for f in updated.fees.all()] == ["free"]
    assert updated.search_text.startswith("ten moi ")


def test_a_used_version_is_frozen_and_a_new_version_must_be_made():
    # given a version that the dossier app reports as used
    version = factories.catalog_version()
    used = {version.pk}
    check = lambda v: v.pk in used  # noqa: E731
    selectors.register_version_usage_check(check)
    try:
        assert selectors.version_is_used(version)
        # when it is edited in place, then it is refused
        with pytest.raises(DomainError) as caught:
            services.procedure_version_update(version=version, spec=factories.version_spec(name="Khác"))
        assert caught.value.code == "version_in_use"
        # and a copy taking effect later is the way to change it
        copy = services.procedure_version_copy(version=version, effective_from=date(2026, 1, 1))
        assert (copy.version, copy.name, copy.components.count()) == (2, version.name, 2)
        assert not selectors.version_is_used(copy)
    finally:
        selectors._usage_checks.remove(check)


def test_upsert_reports_created_unchanged_and_updated():
    field = factories.field()
    spec = factories.version_spec(version=1)
    _, first = services.procedure_version_upsert(national_code="1.000004", field=field, spec=spec)
    _, again = services.procedure_version_upsert(national_code="1.000004", field=field, spec=spec)
    _, changed = services.procedure_version_upsert(
        national_code="1.000004", field=field, spec=dataclasses.replace(spec, name="Khác")
    )
    assert (first, again, changed) == ("created", "unchanged", "updated")
    assert ProcedureVersion.objects.get().name == "Khác"


def test_field_upsert_creates_then_renames():
    services.field_upsert(code="HOTICH", name="Hộ tịch")
    renamed = services.field_upsert(code="HOTICH", name="Tư pháp - Hộ tịch")
    assert renamed.name == "Tư pháp - Hộ tịch"
