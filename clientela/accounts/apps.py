from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from .db_triggers import ensure_sqlite_count_triggers

    ensure_sqlite_count_triggers(connections[using])


class AccountsConfig(AppConfig):
    name = "clientela.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from clientela.core.fts import register_fts_table
        from clientela.core.sequences import register_sequence

        from . import sort_names
        from .models import CODE_SEQUENCE

        register_sequence(CODE_SEQUENCE)
        register_fts_table("accounts_account")
        sort_names.connect()
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="accounts-triggers")
        _register_uploads()


def _register_uploads() -> None:
    from django.conf import settings

    from clientela.core.access import may
    from clientela.core.bodies import UPLOAD_MARGIN, register_upload

    from .models import Account

    register_upload(
        "accounts/<str:code>/logo/",
        limit=lambda: settings.LOGO_MAX_BYTES + UPLOAD_MARGIN,
        may_upload=lambda user: may(user, "change", Account),
    )
