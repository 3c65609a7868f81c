from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from .roles import sync_role_groups

    sync_role_groups()


class UsersConfig(AppConfig):
    name = "clientela.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        # After every migrate (and test flush), once all permissions exist.
        post_migrate.connect(_sync_roles, dispatch_uid="clientela-sync-role-groups")
