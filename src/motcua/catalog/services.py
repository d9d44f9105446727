"""Every write to the catalog: one keyword-only, atomic function per business action.

A procedure's rules change by adding a version with a later effective date. A version may be
edited in place only while nothing uses it (`selectors.version_is_used`, which the dossier app
extends); the import, the admin and the demo loader all write through these functions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.text import nfc

from .models import Fee, Field, Procedure, ProcedureVersion, ProcessStep, RequiredComponent
from .selectors import today_local, version_is_used
from .specs import (
    CatalogFileError,
    CatalogInvalid,
    Problem,
    VersionSpec,
    check_version,
    spec_from_version,
    version_search_text,
)

DEMO_CATALOG = Path(__file__).resolve().parent / "data" / "demo_catalog.json"


# -- fields ---------------------------------------------------------------------------------------------
@transaction.atomic
def field_upsert(*, code: str, name: str) -> Field:
    """Create a field, or rename it when the code exists with another name."""
    code, name = nfc(code), nfc(name)
    if not code or not name:
        raise CatalogInvalid(Problem("field", _("a field needs a code and a name")))
    if (
        len(code) > Field._meta.get_field("code").max_length
        or len(name) > Field._meta.get_field("name").max_length
    ):
        raise CatalogInvalid(Problem("field", _("the field code or name is too long")))
    obj, created = Field.objects.get_or_create(code=code, defaults={"name": name})
    if not created and obj.name != name:
        obj.name = name
        obj.save(update_fields=["name"])
    return obj


# -- versions ---------------------------------------------------------------------------------------------
def _write_children(version: ProcedureVersion, spec: VersionSpec) -> None:
    try:
        version.components.all().delete()
        version.fees.all().delete()
        version.steps.all().delete()
    except ProtectedError as exc:
        # Something outside the catalog points at a component although no usage check said so.
        raise _in_use_error(version) from exc
    RequiredComponent.objects.bulk_create(
        RequiredComponent(
            version=version,
            position=i,
            name=c.name,
            paper_form=c.paper_form,
            copies=c.copies,
            mandatory=c.mandatory,
            condition=c.condition,
            form_template=c.form_template,
        )
        for i, c in enumerate(spec.components, start=1)
    )
    Fee.objects.bulk_create(
        Fee(
            version=version,
            position=i,
            name=f.name,
            kind=f.kind,
            channel=f.channel,
            amount=f.amount,
            pages_at_first_rate=f.pages_at_first_rate,
            later_page_amount=f.later_page_amount,
            cap=f.cap,
            note=f.note,
        )
        for i, f in enumerate(spec.fees, start=1)
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            position=i,
            name=s.name,
            role=s.role,
            department_code=s.department_code,
            budget_days=s.budget_days,
        )
        for i, s in enumerate(spec.steps, start=1)
    )


def _apply_scalars(version: ProcedureVersion, spec: VersionSpec, national_code: str) -> None:
    version.effective_from = spec.effective_from
    version.effective_to = spec.effective_to
    version.name = spec.name
    version.search_text = version_search_text(spec.name, national_code)
    version.level = spec.level
    version.competent_unit_type = spec.competent_unit
    version.applicants = spec.applicants
    version.steps_description = spec.steps_description
    version.limit_kind = spec.limit.kind.value
    version.limit_amount = spec.limit.amount
    version.limit_note = spec.limit_note
    version.channels = list(spec.channels)
    version.boundary_free = spec.boundary_free
    version.result_type = spec.result
    version.legal_basis = spec.legal_basis
    version.fee_note = spec.fee_note
    version.is_demo = spec.is_demo


def _check_effective_date_free(procedure: Procedure, effective_from: date, exclude_pk: int | None) -> None:
    clash = procedure.versions.filter(effective_from=effective_from).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise CatalogInvalid(
            Problem(
                "effective_from",
                _("version %(version)d of %(code)s already takes effect on %(date)s")
                % {
                    "version": clash.version,
                    "code": procedure.national_code,
                    "date": f"{effective_from:%d/%m/%Y}",
                },
            )
        )


def _locked_procedure(national_code: str, field: Field) -> Procedure:
    """The procedure row, created if new and locked, so version numbers are allotted one at a time."""
    national_code = nfc(national_code)
    if not national_code:
        raise CatalogInvalid(Problem("national_code", _("the national code is missing")))
    if len(national_code) > Procedure._meta.get_field("national_code").max_length:
        raise CatalogInvalid(Problem("national_code", _("the national code is too long")))
    Procedure.objects.get_or_create(national_code=national_code, defaults={"field": field})
    procedure = Procedure.objects.select_for_update().get(national_code=national_code)
    if procedure.field_id != field.pk:
        # The field belongs to the procedure, not to a version: a reclassification applies to all.
        procedure.field = field
        procedure.save(update_fields=["field"])
    return procedure


@transaction.atomic
def procedure_version_create(*, national_code: str, field: Field, spec: VersionSpec) -> ProcedureVersion:
    """Add a version to a procedure (creating the procedure if new); numbered next when unnumbered."""
    spec = check_version(spec)
    procedure = _locked_procedure(national_code, field)
    number = spec.version
    if number is None:
        number = (procedure.versions.aggregate(m=Max("version"))["m"] or 0) + 1
    elif procedure.versions.filter(version=number).exists():
        raise CatalogInvalid(
            Problem(
                "version",
                _("version %(version)d of %(code)s already exists; create version %(next)d instead")
                % {
                    "version": number,
                    "code": procedure.national_code,
                    "next": (procedure.versions.aggregate(m=Max("version"))["m"] or 0) + 1,
                },
            )
        )
    _check_effective_date_free(procedure, spec.effective_from, None)
    version = ProcedureVersion(procedure=procedure, version=number)
    _apply_scalars(version, spec, procedure.national_code)
    version.save()
    _write_children(version, spec)
    return version


def _in_use_error(version: ProcedureVersion) -> DomainError:
    return DomainError(
        _(
            "Version %(version)d of %(code)s is already used by dossiers and cannot change; "
            "create a new version with a later effective date."
        )
        % {"version": version.version, "code": version.procedure.national_code},
        code="version_in_use",
    )


def _ensure_editable(version: ProcedureVersion) -> None:
    if version_is_used(version):
        raise _in_use_error(version)


@transaction.atomic
def procedure_version_update(*, version: ProcedureVersion, spec: VersionSpec) -> ProcedureVersion:
    """Rewrite an unused version in place (components, fees and steps are replaced)."""
    spec = check_version(spec)
    version = ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    _ensure_editable(version)
    if spec.version is not None and spec.version != version.version:
        raise CatalogInvalid(Problem("version", _("the version number of a version cannot change")))
    _check_effective_date_free(version.procedure, spec.effective_from, version.pk)
    _apply_scalars(version, spec, version.procedure.national_code)
    version.save()
    _write_children(version, spec)
    return version


@transaction.atomic
def procedure_version_upsert(
    *, national_code: str, field: Field, spec: VersionSpec
) -> tuple[ProcedureVersion, str]:
    """Create or update the version numbered `spec.version`; returns it and "created",
    "updated" or "unchanged". An identical version is left alone, so a reload changes nothing
    even when dossiers use it."""
    if spec.version is None:
        raise CatalogInvalid(Problem("version", _("the version number is missing")))
    spec = check_version(spec)
    existing = (
        ProcedureVersion.objects.filter(procedure__national_code=nfc(national_code), version=spec.version)
        .select_related("procedure")
        .prefetch_related("components", "fees", "steps")
        .first()
    )
    if existing is None:
        return procedure_version_create(national_code=national_code, field=field, spec=spec), "created"
    field_changed = existing.procedure.field_id != field.pk
    if field_changed:
        _locked_procedure(national_code, field)
    if spec_from_version(existing) == spec:
        return existing, "updated" if field_changed else "unchanged"
    return procedure_version_update(version=existing, spec=spec), "updated"


@transaction.atomic
def procedure_version_copy(
    *, version: ProcedureVersion, effective_from: date | None = None
) -> ProcedureVersion:
    """A new version with the same content, to edit before it takes effect (tomorrow by default)."""
    source = (
        ProcedureVersion.objects.select_related("procedure__field")
        .prefetch_related("components", "fees", "steps")
        .get(pk=version.pk)
    )
    spec = dataclasses.replace(
        spec_from_version(source),
        version=None,
        effective_to=None,
        effective_from=effective_from or today_local() + timedelta(days=1),
    )
    return procedure_version_create(
        national_code=source.procedure.national_code, field=source.procedure.field, spec=spec
    )


@transaction.atomic
def procedure_version_resave(*, version: ProcedureVersion) -> ProcedureVersion:
    """Put a version written by the admin's forms through the service path (normalize, check,
    search text), so every rule runs whichever screen wrote it."""
    fresh = (
        ProcedureVersion.objects.select_related("procedure")
        .prefetch_related("components", "fees", "steps")
        .get(pk=version.pk)
    )
    return procedure_version_update(version=fresh, spec=spec_from_version(fresh))


# -- files ------------------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    fields: set[str] = field(default_factory=set)

    @property
    def procedures_total(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def catalog_import(*, entries: Sequence) -> ImportReport:
    """Upsert parsed entries (see exchange.CatalogEntry) all or nothing.

    Each entry is written in its own savepoint so every bad entry is reported, then the whole
    transaction is rolled back if any was bad.
    """
    report = ImportReport()
    problems: list[str] = []
    fields: dict[str, Field] = {}
    for entry in entries:
        try:
            with transaction.atomic():
                field_obj = fields.get(entry.field_code)
                if field_obj is None:
                    field_obj = _entry_field(entry)
                    fields[entry.field_code] = field_obj
                _, outcome = procedure_version_upsert(
                    national_code=entry.national_code, field=field_obj, spec=entry.spec
                )
        except CatalogInvalid as exc:
            problems.extend(f"{entry.location}, {p}" for p in exc.problems)
            continue
        except DomainError as exc:
            problems.append(f"{entry.location}: {exc.message}")
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.fields.add(entry.field_code)
    if problems:
        raise CatalogFileError(problems)
    return report


def _entry_field(entry) -> Field:
    if entry.field_name:
        return field_upsert(code=entry.field_code, name=entry.field_name)
    found = Field.objects.filter(code=entry.field_code).first()
    if found is None:
        raise CatalogInvalid(
            Problem(
                "field",
                _('unknown field "%(code)s" (give its code and name to create it)')
                % {"code": entry.field_code},
            )
        )
    return found


def catalog_import_file(*, path: str | Path, fmt: str | None = None) -> ImportReport:
    """Read a .json or .csv catalog file and import it whole, or raise CatalogFileError."""
    from . import exchange

    return catalog_import(entries=exchange.read_catalog_file(path, fmt=fmt))


def catalog_load_demo() -> ImportReport:
    """Load the shipped demo catalog; running it again changes nothing."""
    return catalog_import_file(path=DEMO_CATALOG, fmt="json")


def catalog_demo_step(province) -> None:
    """The demo's catalog part (a step of `units.demo`): the shipped procedures, and the fields each
    demo counter serves (only where a counter serves none yet, so reruns change nothing)."""
    from motcua.units.demo import COUNTERS, DEMO_CENTERS
    from motcua.units.models import Counter

    catalog_load_demo()
    fields_by_code = {f.code: f for f in Field.objects.all()}
    spec_by_number = {number: codes for number, _name, codes in COUNTERS}
    slugs = {spec.commune_name for spec in DEMO_CENTERS}
    counters = Counter.objects.filter(center__commune__province=province, fields__isnull=True)
    for counter in counters.select_related("center__commune"):
        if counter.center.commune.name not in slugs:
            continue
        codes = spec_by_number.get(counter.number, ())
        counter.fields.set([fields_by_code[c] for c in codes if c in fields_by_code])
