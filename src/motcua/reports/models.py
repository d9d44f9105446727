"""Rollups (số liệu tổng hợp) kept up to date with every dossier event, and background exports.

A `Rollup` row holds the counters of one period (a day, an ISO week, a month, a quarter or a
year: `grain`) for one combination of handling center × receiving center × procedure × field ×
channel; a `UnitRollup` row the same counters for handling center × field × channel, and a
`CenterRollup` row for the handling center alone (the province-wide pages read these). Every
event that changes a counter adds to the five rows of its day, week, month, quarter and year in
each table, in the same transaction (`rollups.apply_event`), so any period reads a few runs of
rows; `motcua rollups rebuild` recomputes them from dossiers and events.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The measures, in the order the rebuild and the selectors use them. Which event adds to which
# measure is `deltas.event_deltas`; docs/reports.md defines each one.
MEASURES = (
    "received",  # dossiers received (on the day of reception)
    "received_online",  # of which filed online
    "reception_supplement",  # intakes sent back at reception for supplements (not dossiers)
    "reception_refused",  # intakes refused at reception (not dossiers)
    "handled",  # dossiers finished: result ready or refused after reception (day of finishing)
    "early",
    "on_time",
    "late",
    "index_late",  # late, or supplemented more than once: late for the service index
    "multi_supplement",  # handled dossiers asked for supplements more than once
    "refused",  # refused after reception (also in handled)
    "withdrawn",  # received dossiers withdrawn by the applicant
    "withdrawn_pending",  # of which withdrawn before they were handled
    "supplement_requests",  # requests for supplements during processing (events)
    "returned",  # results returned (day of return)
    "returned_electronic",  # of which returned electronically
    "digitized",  # received dossiers with at least one scanned paper (day of reception)
    "reused_dossiers",  # received dossiers with at least one re-used paper (day of reception)
    "reused_documents",  # re-used papers of received dossiers (day of reception)
    "processing_mdays",  # sum over handled dossiers of processing time, thousandths of a working day
    "limit_mdays",  # sum over handled dossiers of their time limit, thousandths of a working day
)
# Processing time histogram (working days), for medians: bucket i holds [EDGES[i-1], EDGES[i]).
HISTOGRAM_EDGES = (0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30)
BUCKETS = tuple(f"h{i}" for i in range(len(HISTOGRAM_EDGES) + 1))
ALL_COUNTERS = MEASURES + BUCKETS

OFFICER_COUNTERS = ("received", "reception_supplement", "reception_refused", "handled", "late", "returned")


def _counter():
    return models.IntegerField(default=0, db_default=0)


def _sum():
    return models.BigIntegerField(default=0, db_default=0)


class Measures(models.Model):
    """The counters every rollup row carries (see MEASURES)."""

    received = _counter()
    received_online = _counter()
    reception_supplement = _counter()
    reception_refused = _counter()
    handled = _counter()
    early = _counter()
    on_time = _counter()
    late = _counter()
    index_late = _counter()
    multi_supplement = _counter()
    refused = _counter()
    withdrawn = _counter()
    withdrawn_pending = _counter()
    supplement_requests = _counter()
    returned = _counter()
    returned_electronic = _counter()
    digitized = _counter()
    reused_dossiers = _counter()
    reused_documents = _counter()
    processing_mdays = _sum()
    limit_mdays = _sum()
    h0 = _counter()
    h1 = _counter()
    h2 = _counter()
    h3 = _counter()
    h4 = _counter()
    h5 = _counter()
    h6 = _counter()
    h7 = _counter()
    h8 = _counter()
    h9 = _counter()
    h10 = _counter()

    class Meta:
        abstract = True


class Rollup(Measures):
    """Số liệu tổng hợp: the counters of one period for one handling center, receiving center,
    procedure, field and channel (drill-down to procedures, boundary-free reception)."""

    grain = models.CharField(max_length=1)
    period = models.DateField(help_text="First day of the day, ISO week or month.")
    center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        help_text="The handling center.",
    )
    receiving_center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    field = models.ForeignKey("catalog.Field", on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "center", "period", "receiving_center", "procedure", "field", "channel"],
                name="rollup_key",
            )
        ]
        indexes = [models.Index(fields=["grain", "receiving_center", "period"], name="rollup_receiving")]
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.center_id}/{self.procedure_id}/{self.channel}"


class UnitRollup(Measures):
    """Số liệu tổng hợp theo đơn vị: the same counters per handling center, field and channel only
    (no procedure, no receiving center): ten to forty times fewer rows, for the province-wide
    pages (ranking, totals, channel mix, weekly trend, fields)."""

    grain = models.CharField(max_length=1)
    period = models.DateField()
    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    field = models.ForeignKey("catalog.Field", on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "center", "period", "field", "channel"], name="unit_rollup_key"
            )
        ]
        verbose_name = _("unit rollup")
        verbose_name_plural = _("unit rollups")

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.center_id}/{self.field_id}/{self.channel}"


class CenterRollup(Measures):
    """Số liệu tổng hợp theo trung tâm: the same counters per handling center only, one row per
    center and period: the province ranking and the weekly trend read a hundred rows, not tens of
    thousands."""

    grain = models.CharField(max_length=1)
    period = models.DateField()
    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "center", "period"], name="center_rollup_key")
        ]
        verbose_name = _("center rollup")
        verbose_name_plural = _("center rollups")

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.center_id}"


class OfficerRollup(models.Model):
    """Năng suất cán bộ: what one officer did in one period at one center."""

    grain = models.CharField(max_length=1)
    period = models.DateField()
    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    received = _counter()
    reception_supplement = _counter()
    reception_refused = _counter()
    handled = _counter()
    late = _counter()
    returned = _counter()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "center", "period", "user"], name="officer_rollup_key")
        ]
        verbose_name = _("officer rollup")
        verbose_name_plural = _("officer rollups")

    def __str__(self) -> str:
        return f"{self.grain} {self.period} center {self.center_id} user {self.user_id}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """Tệp xuất: a large export built in the background, downloadable by the user who asked for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    fmt = models.CharField(max_length=4)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    file = models.FileField(upload_to="reports/exports/", blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="export_user")]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.title
