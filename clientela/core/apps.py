from typing import Any

from django.apps import AppConfig
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _sqlite_pragmas(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # WAL lets readers carry on while one writer commits; foreign keys are off by
    # default in SQLite and we rely on them.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Connections persist (CONN_MAX_AGE): a 32 MiB page cache keeps the hot
            # index pages of a million-row database between requests (default: 2 MiB).
            cursor.execute("PRAGMA cache_size=-32768")


def _ensure_sequences(sender: Any, **kwargs: Any) -> None:
    from .sequences import ensure_sequences

    ensure_sequences()


def _ensure_fts(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from .fts import ensure_sqlite_fts

    ensure_sqlite_fts(connections[using])


class CoreConfig(AppConfig):
    name = "clientela.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_pragmas, dispatch_uid="clientela-sqlite-pragmas")
        post_migrate.connect(_ensure_sequences, sender=self, dispatch_uid="clientela-sequences")
        post_migrate.connect(_ensure_fts, sender=self, dispatch_uid="clientela-sqlite-fts")
