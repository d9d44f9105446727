from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = _("Queue")

    def ready(self) -> None:
        # The queue sits above staff, dossiers and reports: it registers with them, they never
        # import it (docs/architecture.md).
        from motcua.dossiers import events
        from motcua.reports.panels import register_unit_panel
        from motcua.staff.panels import register_desk_panel
        from motcua.units.demo import register_demo_step

        from .console import render_console
        from .dashboard import unit_panel
        from .demo import queue_demo_step
        from .services import link_intake_event

        register_demo_step(queue_demo_step)  # after the catalog's step: services follow the counters' fields
        register_desk_panel("queue", render_console)  # the officer's console on /quay/
        events.listen(link_intake_event, actions={"intake"})  # in the intake's transaction
        register_unit_panel("queue", unit_panel)  # arrivals and waits on the center dashboard
