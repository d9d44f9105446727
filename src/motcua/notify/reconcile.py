"""Reconciliation with the national portal: for the dossiers that changed on a day, compare what
the portal's look-up returns with what we hold, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from motcua.dossiers.models import Dossier, DossierEvent

from . import nationalportal
from .channels import portal as portal_api
from .models import ProvinceIntegration
from .rules import VN


@dataclass(frozen=True)
class Difference:
    code: str
    field: str
    ours: str
    portal: str


def dossiers_changed_on(day: date, province_id: str):
    start = datetime.combine(day, time.min, tzinfo=VN)
    ids = DossierEvent.objects.filter(at__gte=start, at__lt=start + timedelta(days=1)).values("dossier_id")
    return (
        Dossier.objects.filter(
            pk__in=ids, counted=True, code__isnull=False, center__commune__province=province_id
        )
        .select_related("procedure_version__procedure", "field", "center")
        .prefetch_related("documents")
        .order_by("code")
    )


def reconcile(day: date, *, province_id: str | None = None) -> tuple[int, list[Difference]]:
    """(dossiers compared, differences) for every province with a portal, or just one."""
    configs = ProvinceIntegration.objects.exclude(portal_url="")
    if province_id:
        configs = configs.filter(province_id=province_id)
    compared, found = 0, []
    for config in configs:
        for dossier in dossiers_changed_on(day, config.province_id):
            compared += 1
            ours = nationalportal.dossier_fields(dossier)
            theirs = portal_api.lookup(config, dossier.code)
            found += [Difference(dossier.code, *d) for d in nationalportal.differences(ours, theirs)]
    return compared, found
