from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clientela.duplicates"
    verbose_name = _("Duplicates")

    def ready(self) -> None:
        from django.urls import reverse

        from clientela.audit.selectors import register_history_alias
        from clientela.audit.sources import Source, register_source

        from . import signals
        from .selectors import merged_ids_of

        signals.connect()
        register_history_alias(merged_ids_of)
        register_source(
            "merge",
            lambda key: Source(
                _("Merge #%(number)s (see or undo)") % {"number": key},
                reverse("merge_detail", args=[int(key)]),
            ),
        )
