"""Who read personal data, consent to re-use papers across communes, backup codes, security events.

Audit rows are append-only: the app never updates or deletes them (the queryset and the model
refuse), except `services.purge_expired_read_audit()` which drops rows older than the retention.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An audit row was about to be changed or deleted through the app."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit rows cannot be deleted")

    def _purge(self) -> int:
        """Drop the rows of this queryset: only for the retention purge."""
        return self._raw_delete(self.db)


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows cannot be deleted")


class ReadAction(models.TextChoices):
    DOSSIER_VIEW = "dossier_view", _("Opened a dossier")
    DOCUMENT_VIEW = "document_view", _("Opened a scanned document")
    SLIP_VIEW = "slip_view", _("Opened a slip")
    REUSABLE_LIST = "reusable_list", _("Listed re-usable documents")
    DOCUMENT_REUSE = "document_reuse", _("Re-used a document from another commune")
    REPORT_EXPORT = "report_export", _("Exported a report")


class ReadAudit(AppendOnly):
    """Nhật ký truy cập dữ liệu cá nhân: one read of personal data by a staff user or token."""

    at = models.DateTimeField(_("time"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=20, choices=ReadAction.choices)
    channel = models.CharField(_("channel"), max_length=10, default="page")  # page / api
    center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("center"),
    )
    other_center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other center"),
    )
    province = models.ForeignKey(
        "units.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    dossier_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("dossier number (id)"))
    target = models.CharField(_("what"), max_length=120, blank=True)
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))

    class Meta:
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")
        indexes = [
            models.Index(fields=["center", "at"], name="readaudit_center_at"),
            models.Index(fields=["province", "at"], name="readaudit_province_at"),
            models.Index(fields=["at"], name="readaudit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.target}"


class SecurityEventKind(models.TextChoices):
    AUTHENTICATOR_RESET = "authenticator_reset", _("Authenticator reset")
    BACKUP_CODES_CREATED = "backup_codes", _("Backup codes created")
    BACKUP_CODE_USED = "backup_code_used", _("Backup code used")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    LOCKED_SIGN_IN = "locked_sign_in", _("Signed in past a lock-out with the second factor")


class SecurityEvent(AppendOnly):
    """Sự kiện bảo mật: a change to someone's sign-in (reset, backup codes, tokens)."""

    at = models.DateTimeField(_("time"), auto_now_add=True)
    kind = models.CharField(_("event"), max_length=30, choices=SecurityEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("center"),
    )
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.subject_id}"


class BackupCode(models.Model):
    """Mã dự phòng: a one-time code for when the authenticator is not at hand. Only a hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backup_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"


class CitizenPresence(models.Model):
    """Bằng chứng công dân có mặt: the citizen's ID card was scanned at this officer's desk. It is
    the consent that lets the officer see and re-use the citizen's papers from other communes for
    a limited time."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    center = models.ForeignKey("units.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    id_number = models.CharField(max_length=12)
    card_digest = models.CharField(max_length=64)
    scanned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["officer", "id_number", "scanned_at"], name="presence_lookup")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.scanned_at:%Y-%m-%d %H:%M}"
