"""Background tasks (django-tasks; `motcua serve` runs a database worker beside the web
processes, `motcua db_worker` runs one alone)."""

from __future__ import annotations

import logging
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from . import exports, periods, selectors
from .models import Export, ExportStatus

logger = logging.getLogger(__name__)


@task()
def build_export(export_id: str) -> str:
    """Build the file of an export. Idempotent: a finished export is left alone, a retried one
    overwrites its own file (same name); the user's scope is checked again when it runs."""
    export = Export.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == ExportStatus.DONE:
        return "skipped"
    params = export.params
    try:
        unit = selectors.unit_for_user(export.user, params["unit"])
        period = periods.parse(params, today=timezone.localdate())
        filters = selectors.filters_from(params)
        listing, qs = selectors.dossiers_behind(
            export.user, unit, params["measure"], period, filters, officer_id=params.get("officer")
        )
        if listing == "events":
            dossiers = (
                event.dossier for event in qs.select_related("dossier__field").iterator(chunk_size=2000)
            )
        else:
            dossiers = qs.select_related("field", "center", "procedure_version").iterator(chunk_size=2000)
        name = f"reports/exports/{export.pk}.{export.fmt}"
        with tempfile.TemporaryFile() as spool:
            rows = exports.stream_table(
                "ho-so",
                export.title,
                exports.dossier_columns(),
                exports.dossier_rows(dossiers),
                export.fmt,
                spool,
            )
            spool.seek(0)
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(spool, name=name))
    except Exception as exc:  # the user sees the failure on the exports page
        logger.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        return "failed"
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE, file=saved, rows=rows, finished_at=timezone.now(), error=""
    )
    return "done"
