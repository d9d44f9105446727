"""Writes of the reports app: asking for a background export."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound, ValidationFailed

from . import filenames, periods, selectors
from .models import Export, ExportStatus
from .selectors import Unit

FORMATS = ("csv", "xlsx")
REUSE_WITHIN = timedelta(minutes=10)


def _clean_params(unit: Unit, params: dict) -> dict:
    """The parameters that define the list, validated (a bad period or filter fails now, not in
    the worker)."""
    period = periods.parse(params, today=timezone.localdate())
    filters = selectors.filters_from(params)
    measure = params.get("measure") or "received"
    if measure not in selectors.LIST_MEASURES:
        raise ValidationFailed(_("Unknown figure %(m)s.") % {"m": measure}, field="measure")
    officer = selectors._int(params.get("officer"), "officer")
    cleaned = {"unit": unit.ref, "measure": measure, **period.params(), **filters.params()}
    if officer:
        cleaned["officer"] = officer
    return cleaned


@transaction.atomic
def export_request(*, user, unit: Unit, params: dict, fmt: str, title: str = "") -> Export:
    """Ask for the list of dossiers behind a number as CSV or Excel. The file is built by a
    background task enqueued when this transaction commits. Asking again for the same list
    while it is being built (or minutes after) answers the same export: no duplicate work."""
    if fmt not in FORMATS:
        raise ValidationFailed(_("Choose CSV or Excel."), field="fmt")
    cleaned = _clean_params(unit, params)
    recent = (
        Export.objects.filter(
            user=user,
            kind="dossiers",
            fmt=fmt,
            params__unit=cleaned["unit"],
            created_at__gte=timezone.now() - REUSE_WITHIN,
        )
        .exclude(status=ExportStatus.FAILED)
        .order_by("-created_at")
    )
    for existing in recent:
        if {k: v for k, v in existing.params.items() if k != "filename"} == cleaned:
            return existing
    period = periods.parse(cleaned, today=timezone.localdate())
    table = f"ho-so-{filenames.measure_word(cleaned['measure'])}"
    filename = filenames.export_name(table, unit.kind, unit.key, period.start, fmt)
    export = Export.objects.create(
        user=user,
        kind="dossiers",
        fmt=fmt,
        params={**cleaned, "filename": filename},
        title=f"{title or cleaned['measure']} · {unit.name} · {period.label}"[:300],
    )
    from .tasks import build_export

    transaction.on_commit(lambda: build_export.enqueue(str(export.pk)))
    return export


def export_for_user(user, pk) -> Export:
    """A finished export of this user; anything else (another user's, unfinished) is NotFound."""
    try:
        export = Export.objects.get(pk=pk, user=user, status=ExportStatus.DONE)
    except (Export.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Export not found.")) from None
    if not export.file:
        raise NotFound(_("Export not found."))
    return export
