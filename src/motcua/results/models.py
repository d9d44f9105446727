"""Electronic results (kết quả điện tử): the signed document of a dossier, its keys and signers.

A `ResultDocument` is the result of one dossier: the original PDF (attached by the specialist or
rendered from a template), the signed PDF with its SHA-256, the unguessable id its QR code links
to, who signed and when, and its revocation. The holder's ID number keeps it in the citizen's
results store (a `dossiers.Document` of kind "result", re-usable like a scan).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ResultKind(models.TextChoices):
    ATTACHED = "attached", _("Attached by the specialist")
    RENDERED = "rendered", _("Rendered from a template")


class ResultDocument(models.Model):
    """Kết quả giải quyết điện tử: one result of a dossier, signed digitally."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="results"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ResultKind.choices)
    title = models.CharField(_("title"), max_length=300)
    original_file = models.FileField(_("original file"), upload_to="results/%Y/%m/", max_length=200)
    original_sha256 = models.CharField(_("original SHA-256"), max_length=64)
    signed_file = models.FileField(_("signed file"), upload_to="results/%Y/%m/", max_length=200, blank=True)
    signed_sha256 = models.CharField(_("signed SHA-256"), max_length=64, blank=True, db_index=True)
    signed_size = models.PositiveBigIntegerField(_("signed size"), default=0)
    check_id = models.CharField(_("check id"), max_length=48, unique=True)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_id_number = models.CharField(_("holder's ID number"), max_length=20, blank=True, db_index=True)
    signers = models.JSONField(_("signers"), default=list, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    store_document = models.ForeignKey(
        "dossiers.Document",
        verbose_name=_("kept in the results store as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(revoked_at__isnull=True), name="result_one_current"
            )
        ]
        verbose_name = _("electronic result")
        verbose_name_plural = _("electronic results")

    def __str__(self) -> str:
        return f"{self.title} ({self.dossier_id})"

    @property
    def signed(self) -> bool:
        return bool(self.signed_file)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class KeyKind(models.TextChoices):
    PKCS12 = "pkcs12", _("PKCS#12 key file")
    REMOTE = "remote", _("Remote signing service")


class RemoteSigningService(models.Model):
    """Dịch vụ ký số từ xa: a CA's hash-signing service, per province (or for every province)."""

    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        "units.Province", verbose_name=_("province"), on_delete=models.PROTECT, null=True, blank=True
    )
    base_url = models.URLField(_("service address"))
    api_key = models.CharField(_("API key"), max_length=200, blank=True)
    poll_seconds = models.DecimalField(_("poll every (seconds)"), max_digits=5, decimal_places=2, default=2)
    timeout_seconds = models.PositiveIntegerField(_("wait for the signer at most (seconds)"), default=120)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("remote signing service")
        verbose_name_plural = _("remote signing services")

    def __str__(self) -> str:
        return self.name


class SigningKey(models.Model):
    """Khóa ký số: a leader's signing key, or the organization's seal when `user` is empty."""

    center = models.ForeignKey(
        "units.ServiceCenter", verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_keys",
        help_text=_("Empty: the organization's seal."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=KeyKind.choices, default=KeyKind.PKCS12)
    path = models.CharField(_("key file"), max_length=500, blank=True)
    password = models.CharField(
        _("key file password"), max_length=200, blank=True, help_text=_("Demo keys only.")
    )
    service = models.ForeignKey(
        RemoteSigningService,
        verbose_name=_("remote signing service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    credential_id = models.CharField(_("credential at the service"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return f"{self.user or _('seal')} @ {self.center_id}"

    @property
    def is_seal(self) -> bool:
        return self.user_id is None
