"""Reads for the citizen pages: centers to file at, procedures offered online, drafts by token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from motcua.catalog.models import ProcedureVersion, RequiredComponent
from motcua.catalog.selectors import procedure_versions_in_force
from motcua.core.errors import NotFound
from motcua.units.models import ServiceCenter

from .models import Draft, DraftFile

ONLINE_CHANNELS = ("online_full", "online_partial")


def offers_online(version: ProcedureVersion) -> bool:
    return any(channel in ONLINE_CHANNELS for channel in version.channels or ())


def requires_uploads(version: ProcedureVersion) -> bool:
    """Full online: the papers arrive as scans, so every unconditional mandatory paper is needed.
    Partial online: some papers are brought to the counter, so scans are welcome, not required."""
    return "online_full" in (version.channels or ())


def online_versions_in_force(on_date: date, *, query: str = "", field_code: str = "") -> QuerySet:
    """The versions in force offered online. `channels` is a JSON list; a text match on its
    serialized form works on SQLite and PostgreSQL alike (both channel names start "online_")."""
    return procedure_versions_in_force(on_date, query=query, field_code=field_code).filter(
        channels__icontains="online_"
    )


@dataclass(frozen=True)
class CenterGroup:
    province_code: str
    province_name: str
    centers: list[ServiceCenter]


def active_centers() -> list[ServiceCenter]:
    return list(
        ServiceCenter.objects.filter(is_active=True)
        .select_related("commune__province")
        .order_by("commune__province__name", "name")
    )


def centers_by_province(centers: list[ServiceCenter]) -> list[CenterGroup]:
    groups: dict[str, CenterGroup] = {}
    for center in centers:
        province = center.commune.province
        group = groups.get(province.code)
        if group is None:
            group = groups[province.code] = CenterGroup(province.code, province.name, [])
        group.centers.append(center)
    return list(groups.values())


def center_get_active(pk) -> ServiceCenter:
    try:
        return ServiceCenter.objects.select_related("commune__province").get(pk=int(pk), is_active=True)
    except (ServiceCenter.DoesNotExist, ValueError, TypeError):
        raise NotFound("center") from None


def center_by_agency_code(agency_code: str) -> ServiceCenter | None:
    return (
        ServiceCenter.objects.select_related("commune__province")
        .filter(agency_code=(agency_code or "").strip().upper(), is_active=True)
        .first()
    )


def draft_get(token) -> Draft:
    """A live draft (or a submitted one, whose page shows the result) by its token; an expired
    draft that was never submitted looks missing."""
    try:
        draft = (
            Draft.objects.select_related(
                "procedure_version__procedure__field",
                "center__commune__province",
                "dossier__receiving_center",
            )
            .prefetch_related(
                Prefetch(
                    "procedure_version__components",
                    queryset=RequiredComponent.objects.order_by("position"),
                ),
                Prefetch("files", queryset=DraftFile.objects.order_by("component_id", "id")),
            )
            .get(token=token)
        )
    except (Draft.DoesNotExist, ValueError, TypeError):
        raise NotFound("draft") from None
    if draft.dossier_id is None and draft.expires_at <= timezone.now():
        raise NotFound("draft")
    return draft


def versions_by_field(on_date: date) -> list[tuple[object, list[ProcedureVersion]]]:
    """Every version in force grouped by field, fields by name (for the kiosk's chooser)."""
    groups: dict[int, tuple[object, list[ProcedureVersion]]] = {}
    versions = procedure_versions_in_force(on_date).order_by("procedure__field__name", "search_text")
    for version in versions:
        field = version.procedure.field
        groups.setdefault(field.pk, (field, []))[1].append(version)
    return list(groups.values())


def expired_drafts(now=None) -> QuerySet:
    return Draft.objects.filter(expires_at__lte=now or timezone.now())


__all__ = [
    "CenterGroup",
    "active_centers",
    "center_by_agency_code",
    "center_get_active",
    "centers_by_province",
    "draft_get",
    "expired_drafts",
    "offers_online",
    "online_versions_in_force",
    "requires_uploads",
    "versions_by_field",
]
