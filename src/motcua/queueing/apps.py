from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = _("Queue")

    def ready(self) -> None:
        from motcua.units.demo import register_demo_step

        from .demo import queue_demo_step

        register_demo_step(queue_demo_step)  # after the catalog's step: services follow the counters' fields
