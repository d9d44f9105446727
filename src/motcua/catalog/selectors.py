"""Reads of the catalog, already joined for the pages that use them.

The catalog is public (every procedure must be published), so these reads are not scoped by
unit; writes go through services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.text import search_key
from motcua.workdays.core import VN_TZ

from .models import Field, Procedure, ProcedureVersion

# -- is a version in use? ---------------------------------------------------------------------------
# The dossier app registers a check here (in its AppConfig.ready) that says whether any dossier
# was filed under a version; until then no version is used and versions may be edited in place.
# The catalog must not import the dossier app: the dependency points from dossiers to catalog.
_usage_checks: list[Callable[[ProcedureVersion], bool]] = []


def register_version_usage_check(check: Callable[[ProcedureVersion], bool]) -> None:
    """Add a predicate that says whether something (a dossier) refers to a version."""
    if check not in _usage_checks:
        _usage_checks.append(check)


def version_is_used(version: ProcedureVersion) -> bool:
    """A used version is frozen: changes go into a new version with a later effective date."""
    if version.pk is None:
        return False
    return any(check(version) for check in _usage_checks)


# -- dates ------------------------------------------------------------------------------------------------
def today_local() -> date:
    """Today in Vietnam: the version in force changes at local midnight, not UTC midnight."""
    return timezone.localdate(timezone=VN_TZ)


# -- versions in force ------------------------------------------------------------------------------------
def _in_force(on_date: date) -> Q:
    return Q(effective_from__lte=on_date) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))


def _latest_started(on_date: date) -> Exists:
    """True when a later version of the same procedure has also started by `on_date`."""
    return Exists(
        ProcedureVersion.objects.filter(
            procedure=OuterRef("procedure"),
            effective_from__gt=OuterRef("effective_from"),
            effective_from__lte=on_date,
        )
    )


def procedure_version_at(procedure: Procedure, on_date: date) -> ProcedureVersion | None:
    """The version in force on a date: the latest that has started, unless it has ended.

    A later version supersedes an earlier one from its effective date; `effective_to` is for a
    procedure that is abolished or suspended, so a gap means nothing is in force.
    """
    version = procedure.versions.filter(effective_from__lte=on_date).order_by("-effective_from").first()
    if version is None or (version.effective_to is not None and version.effective_to < on_date):
        return None
    return version


def procedure_versions_in_force(
    on_date: date, *, query: str = "", field_code: str = ""
) -> QuerySet[ProcedureVersion]:
    """The version in force of each procedure, filtered by an accent-insensitive query and a field.

    Every word of the query must appear: "khai sinh dang ky" finds "Đăng ký khai sinh".
    """
    versions = (
        ProcedureVersion.objects.filter(_in_force(on_date))
        .exclude(_latest_started(on_date))
        .select_related("procedure__field")
        .order_by("search_text", "procedure__national_code")
    )
    for word in search_key(query).split():
        versions = versions.filter(search_text__contains=word)
    if field_code:
        versions = versions.filter(procedure__field__code=field_code)
    return versions


def procedure_page_version(national_code: str, on_date: date) -> ProcedureVersion:
    """The version in force for the public page, with everything the page shows, or NotFound."""
    version = (
        procedure_versions_in_force(on_date)
        .filter(procedure__national_code=national_code)
        .prefetch_related("components", "fees", "steps")
        .first()
    )
    if version is None:
        raise NotFound(
            _("No procedure %(code)s is in force on %(date)s.")
            % {"code": national_code, "date": f"{on_date:%d/%m/%Y}"}
        )
    return version


def procedure_get(national_code: str) -> Procedure:
    try:
        return Procedure.objects.select_related("field").get(national_code=national_code)
    except Procedure.DoesNotExist as exc:
        raise NotFound(_("No procedure %(code)s.") % {"code": national_code}) from exc


def procedure_version_history(procedure_id: int) -> list[ProcedureVersion]:
    """All versions of a procedure, newest first, without their children."""
    return list(
        ProcedureVersion.objects.filter(procedure_id=procedure_id)
        .only("id", "procedure_id", "version", "effective_from", "effective_to", "name")
        .order_by("-effective_from")
    )


def fields_with_counts(on_date: date) -> QuerySet[Field]:
    """Fields that have procedures, with the number of procedures in force."""
    in_force = ProcedureVersion.objects.filter(_in_force(on_date)).exclude(_latest_started(on_date))
    return (
        Field.objects.annotate(
            procedure_count=Count("procedures", filter=Q(procedures__versions__in=in_force), distinct=True)
        )
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def procedures_for_export() -> QuerySet[Procedure]:
    """Every procedure with every version and its children, in the file's canonical order."""
    return (
        Procedure.objects.select_related("field")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProcedureVersion.objects.order_by("version").prefetch_related(
                    "components", "fees", "steps"
                ),
            )
        )
        .order_by("national_code")
    )
