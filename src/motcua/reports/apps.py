from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from motcua.dossiers import events

        from . import rollups

        # The rollups must be exact: they are written in the transaction of each event and document.
        events.listen(lambda event, dossier: rollups.apply_event(dossier, event, event.from_state))
        events.listen_documents(rollups.apply_document)
