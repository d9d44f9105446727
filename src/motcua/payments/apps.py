from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Fees and payments")

    def ready(self) -> None:
        from motcua.dossiers import events
        from motcua.dossiers.slips import forms as slip_forms

        from . import display, history, listeners

        history.declare()
        # what a dossier owes is frozen in the transaction that gives it its code
        events.listen(listeners.on_dossier_event, actions=listeners.ASSESS_ON)
        slip_forms.EXTRA_BLOCKS.setdefault("01", []).append(display.slip_block)
