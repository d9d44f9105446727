from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    verbose_name = _("Procedure catalog")

    def ready(self) -> None:
        from motcua.units.demo import register_demo_step

        from .services import catalog_demo_step

        register_demo_step(catalog_demo_step)
