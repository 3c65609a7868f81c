"""A second database connection for the length of a backup or restore (an archive's
SQLite file read as a source, a snapshot), with the same engine and options as ours."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from clientela.core.backends import with_rollback_hooks


@contextmanager
def extra_database(alias: str, params: dict[str, Any]) -> Iterator[str]:
    params = {**params, "ENGINE": with_rollback_hooks(params["ENGINE"])}
    if params["ENGINE"].endswith("sqlite3"):
        params.setdefault("OPTIONS", {"timeout": 20})
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: settings.DATABASES[DEFAULT_DB_ALIAS], alias: params}
    )
    connections.settings[alias] = configured[alias]
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def sqlite_file(path: str) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
