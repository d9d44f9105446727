from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from motcua.catalog.selectors import register_version_usage_check

        from . import events, tracking
        from .models import Dossier

        # A version a dossier was filed under is frozen: the catalog makes a new version instead.
        register_version_usage_check(
            lambda version: Dossier.objects.filter(procedure_version=version).exists()
        )
        events.listen(tracking.forget_previous_answer, after_commit=True)
