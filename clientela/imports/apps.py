from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "clientela.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from clientela.audit.sources import register_source

        from .history import describe_import_source

        register_source("import", describe_import_source)
