"""What /readyz checks. Each check answers True or False and logs why it failed; the
endpoint itself says only which checks failed, never an error message, a host name or a
version (it is public)."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Once every migration is applied it stays so until the next deploy: reading the
# migration files on every probe would be wasted work.
_MIGRATIONS_CHECKED_FOR = 60.0
_migrations_ok_until = 0.0


def database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def migrations() -> bool:
    global _migrations_ok_until
    if time.monotonic() < _migrations_ok_until:
        return True
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        logger.error("readyz: %d migrations not applied", len(pending))
        return False
    _migrations_ok_until = time.monotonic() + _MIGRATIONS_CHECKED_FOR
    return True


def storage() -> bool:
    """Write and delete a small file where logos and documents go."""
    name = default_storage.save(f"health/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return True


def worker() -> bool:
    """Some task worker wrote its heartbeat recently (imports and reminders would
    otherwise wait in the queue forever)."""
    since = timezone.now() - timedelta(seconds=settings.CLIENTELA_WORKER_STALE_SECONDS)
    if WorkerHeartbeat.objects.filter(seen_at__gte=since).exists():
        return True
    logger.error("readyz: no task worker seen since %s", since.isoformat())
    return False


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database,
    "migrations": migrations,
    "storage": storage,
    "worker": worker,
}


def run_checks() -> dict[str, bool]:
    results: dict[str, bool] = {}
    for name, check in CHECKS.items():
        if name != "database" and results.get("database") is False:
            results[name] = False  # everything else needs the database
            continue
        try:
            results[name] = check()
        except Exception:
            logger.exception("readyz: the %s check failed", name)
            results[name] = False
    return results
