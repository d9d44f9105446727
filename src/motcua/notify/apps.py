from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    verbose_name = _("Notifications and integrations")

    def ready(self) -> None:
        # Outbox rows are written inside the event's transaction: a rolled-back action sends nothing.
        from motcua.dossiers import events

        from .listeners import on_dossier_event

        events.listen(on_dossier_event)

        from motcua.queueing.signals import ticket_near

        from .listeners import on_ticket_near

        ticket_near.connect(on_ticket_near, dispatch_uid="notify-queue-turn-near")
