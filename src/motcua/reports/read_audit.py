"""Report exports in the read audit: a file may name citizens (dossier lists), and even aggregate
exports leave the system, so each is recorded with who, which unit and which file."""

from __future__ import annotations

from django.http import HttpRequest

from motcua.security.models import ReadAction
from motcua.security.services import read_record

from .models import Export
from .selectors import Unit


def exported(request: HttpRequest, unit: Unit | None, name: str) -> None:
    """Exports are reads of data that may name citizens: each goes to the read audit."""
    centers = tuple(unit.center_ids) if unit is not None else ()
    read_record(
        user=request.user,
        action=ReadAction.REPORT_EXPORT,
        request=request,
        center_id=centers[0] if unit is not None and unit.kind != "province" and centers else None,
        other_center_id=centers[1]
        if unit is not None and unit.kind != "province" and len(centers) > 1
        else None,
        province_id=unit.province_code if unit is not None and unit.kind == "province" else None,
        target=name,
    )


def export_downloaded(request: HttpRequest, export: Export) -> None:
    kind, _sep, key = str(export.params.get("unit", "")).partition(":")
    center = int(key) if kind == "center" and key.isdigit() else None
    read_record(
        user=request.user,
        action=ReadAction.REPORT_EXPORT,
        request=request,
        center_id=center,
        province_id=key[:2] if kind == "province" else None,
        target=(export.params.get("filename") or export.title)[:120],
        detail={"export": str(export.pk), "unit": export.params.get("unit", ""), "rows": export.rows},
    )
