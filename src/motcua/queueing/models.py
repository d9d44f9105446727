"""The queue of a service center: services with a letter, counters that call, numbered tickets,
the day's number book, the call log the display boards follow, and booked appointments."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QueueService(models.Model):
    """Dịch vụ xếp hàng: a field or group of procedures with its own letter and daily numbers."""

    center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.CASCADE,
        related_name="queue_services",
        verbose_name=_("center"),
    )
    prefix = models.CharField(_("letter"), max_length=2, help_text=_("Printed before the number: A001."))
    name = models.CharField(_("name"), max_length=200)
    field = models.ForeignKey(
        "catalog.Field",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field"),
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure", blank=True, related_name="+", verbose_name=_("procedures")
    )
    is_open = models.BooleanField(_("open for tickets"), default=True)
    daily_capacity = models.PositiveIntegerField(_("tickets per day"), default=300)
    service_minutes = models.PositiveSmallIntegerField(
        _("expected minutes per citizen"), default=10, help_text=_("Used for the estimated wait.")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("appointment slot (minutes)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(_("appointments per slot"), default=2)
    max_recalls = models.PositiveSmallIntegerField(_("recalls before a no-show"), default=2)
    priority_streak_limit = models.PositiveSmallIntegerField(
        _("priority calls in a row at most"),
        default=3,
        help_text=_("A normal ticket never waits for more priority calls in a row than this."),
    )
    priority_streak = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=_("priority tickets in a row")
    )

    class Meta:
        ordering = ["center_id", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["center", "prefix"], name="queue_service_prefix_per_center")
        ]
        verbose_name = _("queue service")
        verbose_name_plural = _("queue services")

    def __str__(self) -> str:
        return f"{self.prefix} · {self.name}"


class CounterService(models.Model):
    """Which services a counter (quầy) calls, in its order of preference (1 first)."""

    counter = models.ForeignKey("units.Counter", on_delete=models.CASCADE, related_name="queue_links")
    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="counter_links")
    preference = models.PositiveSmallIntegerField(_("preference"), default=1)

    class Meta:
        ordering = ["counter_id", "preference", "service_id"]
        constraints = [models.UniqueConstraint(fields=["counter", "service"], name="counter_service_unique")]
        verbose_name = _("service of a counter")
        verbose_name_plural = _("services of counters")

    def __str__(self) -> str:
        return f"{self.counter_id}:{self.service_id}#{self.preference}"


class CounterStatus(models.TextChoices):
    CLOSED = "closed", _("Closed")
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")


class CounterState(models.Model):
    """Whether a counter calls now, and which officer signed in at it."""

    counter = models.OneToOneField(
        "units.Counter", on_delete=models.CASCADE, primary_key=True, related_name="queue_state"
    )
    status = models.CharField(max_length=8, choices=CounterStatus.choices, default=CounterStatus.CLOSED)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.counter_id} {self.status}"


class TicketBook(models.Model):
    """Sổ số thứ tự: the last number issued per service and day (gap-free, never reused)."""

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="ticket_book_unique")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day} → {self.last_number}"


class TicketStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    FINISHED = "finished", _("Finished")
    MISSED = "missed", _("Missed (no-show)")


class Priority(models.TextChoices):
    NONE = "", _("None")
    ELDERLY = "elderly", _("Elderly (60 or older)")
    DISABILITY = "disability", _("Person with a disability")
    PREGNANT_CHILD = "pregnant_child", _("Pregnant or carrying a small child")
    MERIT = "merit", _("War invalid or person of merit")


class TicketChannel(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online (virtual ticket)")
    APPOINTMENT = "appointment", _("By appointment")


class Ticket(models.Model):
    """Số thứ tự: one citizen's place in the queue of a service on one day."""

    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    service = models.ForeignKey(
        QueueService, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue service")
    )
    issued_service = models.ForeignKey(
        QueueService, on_delete=models.PROTECT, related_name="+", verbose_name=_("service when issued")
    )
    day = models.DateField(verbose_name=_("day"))
    number = models.PositiveIntegerField(verbose_name=_("number"))
    code = models.CharField(_("ticket number"), max_length=8)
    token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("ticket page key")
    )
    channel = models.CharField(max_length=12, choices=TicketChannel.choices, verbose_name=_("ticket channel"))
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=12, blank=True)
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.QUEUED, verbose_name=_("status")
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    not_before = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Appointments: called at this time, before walk-ins."),
        verbose_name=_("not called before"),
    )
    target_counter = models.ForeignKey(
        "units.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counter transferred to"),
    )
    counter = models.ForeignKey(
        "units.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counter"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("called at"))
    first_called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("first called at"))
    recalls = models.PositiveSmallIntegerField(default=0, verbose_name=_("recalls"))
    serving_at = models.DateTimeField(null=True, blank=True, verbose_name=_("served from"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    transfers = models.PositiveSmallIntegerField(default=0, verbose_name=_("transfers"))
    near_notified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("told the turn is near at"))
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queue_ticket",
        verbose_name=_("dossier"),
    )

    class Meta:
        ordering = ["arrived_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issued_service", "day", "number"], name="ticket_number_unique")
        ]
        indexes = [
            models.Index(fields=["service", "status", "arrived_at"], name="ticket_waiting"),
            models.Index(fields=["center", "day", "status"], name="ticket_center_day"),
            models.Index(fields=["counter", "status"], name="ticket_counter"),
        ]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self) -> str:
        return self.code


class TicketEvent(models.Model):
    """One step of a ticket (taken, called, recalled, started, finished, missed, transferred).
    Append-only; its id orders the live stream the boards follow and catch up from."""

    center = models.ForeignKey("units.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    at = models.DateTimeField()
    counter = models.ForeignKey("units.Counter", on_delete=models.SET_NULL, null=True, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["center", "id"], name="ticket_event_stream")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class CallRequest(models.Model):
    """One press of "call next" (by its request key): a double click or a retry gets the same
    ticket back instead of calling, and skipping, the next one."""

    key = models.CharField(max_length=64, unique=True)
    counter = models.ForeignKey("units.Counter", on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


class Appointment(models.Model):
    """Lịch hẹn: a booked slot of a service; the citizen checks in at the kiosk for a ticket."""

    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name=_("center")
    )
    service = models.ForeignKey(
        QueueService, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("queue service")
    )
    starts_at = models.DateTimeField(_("time"))
    code = models.CharField(_("booking code"), max_length=12, unique=True)
    name = models.CharField(_("full name"), max_length=200)
    id_number = models.CharField(_("ID number"), max_length=12, db_index=True)
    phone = models.CharField(_("phone"), max_length=12)
    status = models.CharField(
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
        verbose_name=_("status"),
    )
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
        verbose_name=_("ticket"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["service", "starts_at"], name="appointment_slot")]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return self.code
