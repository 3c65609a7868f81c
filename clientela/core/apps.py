from typing import Any

from django.apps import AppConfig
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


def _sqlite_pragmas(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # WAL lets readers carry on while one writer commits; foreign keys are off by
    # default in SQLite and we rely on them.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")


class CoreConfig(AppConfig):
    name = "clientela.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_pragmas, dispatch_uid="clientela-sqlite-pragmas")
