from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = _("Queue")

    def ready(self) -> None:
        # The queue sits above staff and dossiers: it registers with them, they never import it.
        from motcua.dossiers import events
        from motcua.staff.panels import register_desk_panel
        from motcua.units.demo import register_demo_step

        from .console import render_console
        from .demo import queue_demo_step
        from .services import link_intake_event

        register_demo_step(queue_demo_step)  # after the catalog's step: services follow the counters' fields
        register_desk_panel("queue", render_console)  # the officer's console on /quay/
        events.listen(link_intake_event, actions={"intake"})  # in the intake's transaction
