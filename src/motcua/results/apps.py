from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "motcua.results"
    verbose_name = _("Electronic results")

    def ready(self) -> None:
        from motcua.dossiers import events
        from motcua.units.demo import register_demo_step

        from . import demo, history, services

        history.declare()
        # Exact, in the approval's transaction: no signed file without its record, and back.
        events.listen(services.sign_at_approval, actions={"approve", "forward"})
        events.listen(services.guard_electronic_return, actions={"return"})
        register_demo_step(demo.results_demo_step)
