from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import limits

        limits.connect()
