"""Records every app shares: the answers replayed for retried writes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """Bản ghi chống trùng: the first answer to a write with an Idempotency-Key, replayed on retries."""

    key = models.CharField(_("key"), max_length=120)
    scope = models.CharField(_("scope"), max_length=120, help_text="who sent it: user id or 'public'")
    request_hash = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), default=200)
    response = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "dossiers_idempotencyrecord"  # moved from the dossiers app; the table stays
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique")]
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
