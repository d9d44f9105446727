"""The outbox and what it needs: destinations' breakers, per-province channel settings, message
templates, webhook subscriptions, and the national portal's state codes and sync records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ZNS = "zns", _("Zalo ZNS")
    SMS = "sms", _("SMS brandname")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")
    PORTAL = "portal", _("National portal")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FELL_BACK = "fell_back", _("Sent through the next channel")
    DEAD = "dead", _("Failed (dead letter)")
    CANCELLED = "cancelled", _("Cancelled")


# A later message of the same order key waits while an earlier one is in one of these states.
BLOCKING = (Status.PENDING, Status.SENDING, Status.DEAD)
OPEN_STATUSES = (Status.PENDING, Status.SENDING)


class OutboxMessage(models.Model):
    """Hộp thư đi: one message to an outside system, written in the transaction of its cause and
    delivered by the worker. `key` is sent to the receiver as the idempotency key."""

    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    channel = models.CharField(_("delivery channel"), max_length=10, choices=Channel.choices)
    destination = models.CharField(_("destination"), max_length=80, db_index=True)
    kind = models.CharField(_("event kind"), max_length=40, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    payload = models.JSONField(default=dict)
    order_key = models.CharField(max_length=80, blank=True, default="")
    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey("units.Province", on_delete=models.PROTECT, null=True, blank=True)
    dossier_code = models.CharField(_("dossier code"), max_length=60, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(default=10)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    fallback = models.JSONField(default=list, blank=True, help_text="channels still to try, in order")
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cost = models.PositiveIntegerField(_("cost (VND)"), default=0)
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["order_key", "id"], name="outbox_order"),
            models.Index(fields=["center", "status", "id"], name="outbox_center"),
        ]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self) -> str:
        return f"{self.channel} {self.key}"


class DestinationBreaker(models.Model):
    """Cầu dao: the circuit breaker of one destination (a provider of a province, a webhook)."""

    destination = models.CharField(max_length=80, primary_key=True)
    state = models.CharField(max_length=10, default="closed")
    failures = models.PositiveIntegerField(default=0)
    open_until = models.DateTimeField(null=True, blank=True)
    trips = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.destination}: {self.state}"


class ProvinceIntegration(models.Model):
    """Kết nối của tỉnh: endpoints, credentials and prices of the outside services a province uses."""

    province = models.OneToOneField(
        "units.Province", on_delete=models.CASCADE, primary_key=True, verbose_name=_("province")
    )
    zns_url = models.URLField(_("Zalo ZNS endpoint"), blank=True)
    zns_access_token = models.CharField(_("Zalo access token"), max_length=500, blank=True)
    zns_cost = models.PositiveIntegerField(_("cost of a ZNS message (VND)"), default=300)
    sms_url = models.URLField(_("SMS brandname endpoint"), blank=True)
    sms_username = models.CharField(_("SMS user"), max_length=100, blank=True)
    sms_password = models.CharField(_("SMS password"), max_length=200, blank=True)
    sms_brandname = models.CharField(_("brandname"), max_length=11, blank=True)
    sms_cost = models.PositiveIntegerField(_("cost of an SMS segment (VND)"), default=700)
    smtp_host = models.CharField(
        _("SMTP server"), max_length=200, blank=True, help_text=_("Empty: the server of the settings.")
    )
    smtp_port = models.PositiveIntegerField(_("SMTP port"), default=25)
    smtp_username = models.CharField(_("SMTP user"), max_length=200, blank=True)
    smtp_password = models.CharField(_("SMTP password"), max_length=200, blank=True)
    smtp_tls = models.BooleanField(_("STARTTLS"), default=False)
    email_from = models.CharField(_("sender address"), max_length=200, blank=True)
    portal_url = models.URLField(_("national portal endpoint"), blank=True)
    portal_username = models.CharField(_("portal user"), max_length=100, blank=True)
    portal_password = models.CharField(_("portal password"), max_length=200, blank=True)
    citizen_channels = models.CharField(
        _("citizen channels, in order"),
        max_length=40,
        default="zns,sms,email",
        help_text=_("Tried in this order until one delivers, e.g. zns,sms,email."),
    )

    class Meta:
        verbose_name = _("province integration")
        verbose_name_plural = _("province integrations")

    def __str__(self) -> str:
        return str(self.province)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Dossier received")
    SUPPLEMENT = "supplement_requested", _("Supplement request")
    REAPPOINTED = "reappointed", _("New appointment, with apology")
    RESULT_READY = "result_ready", _("Result ready")
    QUEUE_TURN = "queue_turn_near", _("Queue turn near")


class MessageTemplate(models.Model):
    """Mẫu tin nhắn: the wording of one event kind on one channel, per province (or the default)."""

    province = models.ForeignKey(
        "units.Province", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("province")
    )
    kind = models.CharField(_("event kind"), max_length=40, choices=EventKind.choices)
    channel = models.CharField(_("delivery channel"), max_length=10, choices=Channel.choices[:3])
    subject = models.CharField(_("subject (e-mail)"), max_length=200, blank=True)
    body = models.TextField(
        _("text"), help_text=_("Placeholders: {code}, {name}, {procedure}, {due}, {center}, {reason}, {url}.")
    )
    zns_template_id = models.CharField(_("ZNS template id"), max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "channel"], name="template_unique"),
        ]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()}"


class WebhookSubscription(models.Model):
    """Đăng ký webhook: another system told about the dossier events of one unit."""

    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.CASCADE, related_name="+", verbose_name=_("center")
    )
    url = models.URLField(_("URL"))
    secret = models.CharField(_("signing secret"), max_length=200)
    actions = models.JSONField(
        _("event kinds"), default=list, blank=True, help_text=_("Dossier actions to send; empty: all.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url


class PortalStateCode(models.Model):
    """Mã trạng thái của Cổng DVC quốc gia for one of our dossier states (editable)."""

    state = models.CharField(_("our state"), max_length=24, unique=True)
    code = models.CharField(_("portal code"), max_length=20)

    class Meta:
        verbose_name = _("portal state code")
        verbose_name_plural = _("portal state codes")

    def __str__(self) -> str:
        return f"{self.state} → {self.code}"


class PortalRecord(models.Model):
    """What the portal already has of a dossier: created once, updated after."""

    dossier_code = models.CharField(max_length=60, primary_key=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_state = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return self.dossier_code
