from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _restore_defaults(sender: Any, **kwargs: Any) -> None:
    """After a migrate that left the catalogs empty (a test database's flush), put the
    defaults back; a catalog an administrator trimmed is never refilled."""
    from django.apps import apps

    from .defaults import load_default_catalogs
    from .models import CustomerType, EconomicActivity

    if not CustomerType.objects.exists() and not EconomicActivity.objects.exists():
        load_default_catalogs(lambda name: apps.get_model("catalogs", name))


class CatalogsConfig(AppConfig):
    name = "clientela.catalogs"
    label = "catalogs"
    verbose_name = _("Catalogs")

    def ready(self) -> None:
        post_migrate.connect(_restore_defaults, sender=self, dispatch_uid="clientela-catalogs")
