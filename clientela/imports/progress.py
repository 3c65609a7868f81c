"""How far a run has got, readable by the page while the run's own transaction is still
open (all or nothing: nothing it writes is visible before it commits).

- PostgreSQL: the counters are written through a second connection of their own, in
  autocommit, to the run's row (which the import's transaction never locks before its
  very end).
- SQLite: one writer at a time, and the import holds the write lock; the counters go to
  a small JSON file beside the database instead (an SQLite database is a local file, so
  every process that opens it can read this one).
Outside a transaction (the preview), the run's row is simply updated.
"""

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import ImportRun

FIELDS = ("rows_checked", "rows_written", "total_rows", "heartbeat_at")


def _side_file(run_id: int) -> Path:
    return Path(settings.VAR_DIR) / "import-progress" / f"{run_id}.json"


class Progress:
    """Counters of one run, published at most every `interval` seconds."""

    def __init__(self, run: ImportRun, *, interval: float = 0.5) -> None:
        self.run = run
        self.interval = interval
        self.last = 0.0
        self.side: Any = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None
        _side_file(self.run.pk).unlink(missing_ok=True)

    def publish(self, *, force: bool = False, **counters: int) -> None:
        for name, value in counters.items():
            setattr(self.run, name, value)
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        self.run.heartbeat_at = timezone.now()
        values = {name: getattr(self.run, name) for name in FIELDS}
        if not connection.in_atomic_block:
            ImportRun.objects.filter(pk=self.run.pk).update(**values)
        elif connection.vendor == "postgresql":
            self._side_connection_update(values)
        else:
            self._side_file_update(values)

    def _side_connection_update(self, values: dict[str, Any]) -> None:
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            self.side.set_autocommit(True)
        assignments = ", ".join(f"{name} = %s" for name in values)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE imports_importrun SET {assignments} WHERE id = %s",  # noqa: S608
                [*values.values(), self.run.pk],
            )

    def _side_file_update(self, values: dict[str, Any]) -> None:
        path = _side_file(self.run.pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(values, default=str), encoding="utf-8")
        temporary.replace(path)


def live_counters(run: ImportRun) -> dict[str, Any]:
    """The run's counters as the worker last published them."""
    values = {name: getattr(run, name) for name in FIELDS}
    if run.status == ImportRun.Status.WRITING:
        try:
            data = json.loads(_side_file(run.pk).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        for name in FIELDS:
            if name in data:
                values[name] = data[name]
    return values
