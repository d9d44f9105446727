from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: the worker's heartbeat and schedule, health, metrics, logs, backups."""

    name = "motcua.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import checks, jobs  # noqa: F401  (registers the deploy checks and the built-in jobs)
