from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """Khóa API: a bearer token for an integration, acting as its user. Only a hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Issue 10: a token lives for a limited time, may be narrowed to one center and one role, and
    # shows when it was last used (updated at most once a minute).
    expires_at = models.DateTimeField(_("expires at"), null=True)
    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("center")
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
