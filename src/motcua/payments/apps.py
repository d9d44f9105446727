from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Fees and payments")

    def ready(self) -> None:
        from motcua.dossiers.slips import forms as slip_forms

        from . import display, history, listeners

        slip_forms.EXTRA_BLOCKS.setdefault("01", []).append(display.slip_block)
        history.declare_labels()
        try:
            from motcua.dossiers import events
        except ImportError:  # the lifecycle core's listeners are not on this branch yet
            return
        events.listen(listeners.on_dossier_event, actions=listeners.ASSESS_ON)
