"""Filled declarations (tờ khai điện tử): the values an officer filled in for a dossier.

The PDF made from them is an ordinary scan-like `dossiers.Document` of the declaration component
(stored file, SHA-256); this row keeps the typed values beside it so the applicant's next
declaration can start from them ("citizens don't write").
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Declaration(models.Model):
    """Tờ khai: one filled e-form of a dossier."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="declarations", verbose_name=_("dossier")
    )
    document = models.OneToOneField(
        "dossiers.Document", on_delete=models.PROTECT, related_name="declaration", verbose_name=_("document")
    )
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True, db_index=True)
    values = models.JSONField(_("values"), default=dict)
    signed = models.BooleanField(
        _("signed on the tablet"), default=False, help_text=_("False: printed for a handwritten signature.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")

    def __str__(self) -> str:
        return f"{self.dossier} · {self.document}"
