from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Clientela in production: health endpoints, request ids and JSON logs, the
    task worker's heartbeat and lost-task reaper, backup and restore."""

    name = "clientela.operations"
    verbose_name = _("operations")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the task origin recorder)
