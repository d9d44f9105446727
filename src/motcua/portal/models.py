"""Drafts of online filings: what a citizen has typed and uploaded before submitting.

A draft is reached only through its random token (the link shown on screen and e-mailed), so a
citizen can stop and resume later without an account. At submission the draft becomes a dossier
(services.dossier_submit_online) and its files become the dossier's documents; the draft then
keeps only the link to that dossier, so submitting it again gives the same dossier.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Draft(models.Model):
    """Hồ sơ nháp: an online filing in preparation, resumable by its token until it expires."""

    token = models.UUIDField(_("resume token"), unique=True, default=uuid.uuid4, editable=False)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.CASCADE, related_name="+", verbose_name=_("procedure")
    )
    center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service center"),
    )
    applicant = models.JSONField(_("applicant"), default=dict, blank=True)
    link_sent_to = models.EmailField(_("resume link sent to"), blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return str(self.token)


class DraftFile(models.Model):
    """Giấy tờ của hồ sơ nháp: one uploaded scan, checked and hashed like a dossier document."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalog.RequiredComponent", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="drafts/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft_id", "component_id", "id"]
        verbose_name = _("draft file")
        verbose_name_plural = _("draft files")

    def __str__(self) -> str:
        return self.original_name
