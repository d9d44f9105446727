"""Dossiers, their append-only events, documents, code counters and idempotency records.

A dossier's `state`, `due_at` and the other denormalized columns are what its events say; they
are stored so that inboxes and tracking are single indexed lookups.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")
    KIOSK = "kiosk", _("Kiosk")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, awaiting reception")
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for supplements")
    INTERAGENCY = "interagency", _("At another agency")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Result returned")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RECEPTION_SUPPLEMENT = "reception_supplement", _("Not received: supplements needed")
    RECEPTION_REFUSED = "reception_refused", _("Not received: refused")


class Outcome(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically")


class Dossier(models.Model):
    """Hồ sơ: one request of a citizen or organization for one procedure version."""

    code = models.CharField(_("dossier code"), max_length=60, unique=True, null=True, blank=True)
    secret = models.CharField(_("lookup secret"), max_length=32, blank=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    field = models.ForeignKey(
        "catalog.Field", verbose_name=_("field"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_center = models.ForeignKey(
        "units.ServiceCenter",
        verbose_name=_("receiving center"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    center = models.ForeignKey(
        "units.ServiceCenter",
        verbose_name=_("handling center"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("The handling unit; differs from the receiving one for boundary-free dossiers."),
    )
    department = models.ForeignKey(
        "units.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=IntakeChannel.choices)
    boundary_free = models.BooleanField(_("boundary-free"), default=False)
    postal_tracking_number = models.CharField(_("postal tracking number"), max_length=40, blank=True)
    # What a per-page or per-copy fee is computed from (certified copies: pages of the original,
    # copies asked for), counted by the desk officer at intake.
    fee_pages = models.PositiveIntegerField(_("pages"), default=1)
    fee_copies = models.PositiveSmallIntegerField(_("copies"), default=1)

    applicant_kind = models.CharField(
        _("applicant kind"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True, db_index=True)
    applicant_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    representative_name = models.CharField(_("filed by (representative)"), max_length=200, blank=True)
    representative_id_number = models.CharField(_("representative ID number"), max_length=20, blank=True)
    representative_phone = models.CharField(_("representative phone"), max_length=20, blank=True)

    state = models.CharField(_("state"), max_length=24, choices=State.choices)
    step_position = models.PositiveSmallIntegerField(_("internal step"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    reappointed = models.BooleanField(_("reappointed"), default=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    result_delivery = models.CharField(
        _("result wanted"), max_length=12, choices=ReturnMethod.choices, default=ReturnMethod.COUNTER
    )
    return_method = models.CharField(
        _("returned by"), max_length=12, choices=ReturnMethod.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    counted = models.BooleanField(
        _("counted in statistics"),
        default=True,
        help_text=_("False for intakes that were not received (not a dossier in statistics)."),
    )

    event_count = models.PositiveIntegerField(_("events"), default=0)
    last_hash = models.CharField(_("last event hash"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["center", "state", "due_at"], name="dossier_inbox"),
            models.Index(fields=["center", "department", "state", "step_due_at"], name="dossier_dept_inbox"),
            models.Index(fields=["assignee", "state", "step_due_at"], name="dossier_assignee_inbox"),
            models.Index(fields=["receiving_center", "received_at"], name="dossier_received"),
            models.Index(fields=["applicant_id_number", "received_at"], name="dossier_applicant"),
        ]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"


class DossierEvent(models.Model):
    """Nhật ký xử lý: one append-only entry of a dossier's history, chained by hash."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    center = models.ForeignKey("units.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="event_seq_unique")]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class CodeSequence(models.Model):
    """Sổ cấp mã: the last number issued per receiving agency and day (gap-free, never reused)."""

    agency_code = models.CharField(max_length=40)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "dossiers_codecounter"  # the table kept its first name
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="code_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day:%y%m%d} → {self.last_number:04d}"


class DocumentKind(models.TextChoices):
    SCAN = "scan", _("Scanned paper")
    RESULT = "result", _("Electronic result")


class Document(models.Model):
    """Tài liệu số hóa: a scanned paper of a dossier, stored through Django's storage API; or, of
    kind "result", the signed electronic result kept in the holder's results store (kho kết quả),
    re-usable by later dossiers like a scan."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    component = models.ForeignKey(
        "catalog.RequiredComponent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    applicant_id_number = models.CharField(max_length=20, blank=True, db_index=True)
    reused_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reuses"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices, default=DocumentKind.SCAN)
    # a result's name ("Giấy xác nhận tình trạng hôn nhân"), matched like a component's name
    title = models.CharField(_("title"), max_length=300, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)  # a revoked result

    class Meta:
        ordering = ["dossier_id", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name
