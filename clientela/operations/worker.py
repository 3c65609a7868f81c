"""The task worker for many machines: django-tasks-db's worker plus what it lacks.

django-tasks-db claims a job with SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL; on SQLite
an exclusive transaction), so two workers never take the same job. But a worker killed
mid-job (kill -9, a lost machine, an OOM kill) leaves its job RUNNING forever: nothing
gives it back. So each worker here

- writes a heartbeat (WorkerHeartbeat) every CLIENTELA_WORKER_HEARTBEAT_SECONDS from a
  thread, also while a long task runs;
- reaps: a RUNNING job whose worker has not been seen for CLIENTELA_WORKER_STALE_SECONDS
  goes back to the queue (READY) and is run again by whichever worker claims it — at
  least once, so tasks must be safe to run again; after CLIENTELA_TASK_MAX_ATTEMPTS
  claims it is marked FAILED with WorkerLost, so a job that kills its worker every
  time does not loop;
- logs each task's lines under the id of the request that enqueued it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from . import request_id
from .models import TaskOrigin, WorkerHeartbeat

logger = logging.getLogger("clientela.worker")


class WorkerLost(Exception):
    """Recorded as a task's error when its workers kept dying while running it."""


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def reap_lost_tasks(
    *, stale_after: float | None = None, max_attempts: int | None = None
) -> list[str]:
    """Give back (or fail) the RUNNING tasks whose worker is gone. Returns their ids."""
    stale_after = stale_after or settings.CLIENTELA_WORKER_STALE_SECONDS
    max_attempts = max_attempts or settings.CLIENTELA_TASK_MAX_ATTEMPTS
    cutoff = timezone.now() - timedelta(seconds=stale_after)
    reaped: list[str] = []
    with exclusive_transaction():
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
        )
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            lost = result.worker_ids[-1] if result.worker_ids else "?"
            if len(result.worker_ids) >= max_attempts:
                result.set_failed(
                    WorkerLost(
                        f"worker {lost} stopped while running this task, "
                        f"{len(result.worker_ids)} attempts"
                    )
                )
                logger.error(
                    "task %s failed: its workers were lost %d times", result.id, max_attempts
                )
            else:
                result.status = "READY"
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                logger.warning(
                    "task %s given back to the queue: worker %s was lost", result.id, lost
                )
            reaped.append(str(result.id))
        # Rows of workers long gone: keep the table as small as the pool.
        WorkerHeartbeat.objects.filter(seen_at__lt=cutoff - timedelta(days=1)).delete()
    return reaped


class Heartbeat(threading.Thread):
    """Every `every` seconds until stopped: touch the worker's row, then reap lost tasks
    (a thread, so an idle worker and one busy with a long task both do it)."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    close_old_connections()
                    beat(self.worker_id, self.started_at)
                    reap_lost_tasks()
                except Exception:
                    # A database blip: say so and try again at the next beat.
                    logger.exception("worker %s: heartbeat or reaping failed", self.worker_id)
        finally:
            connection.close()


class Worker(DatabaseWorker):
    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, settings.CLIENTELA_WORKER_HEARTBEAT_SECONDS)
        beat(self.worker_id, heartbeat.started_at)
        reap_lost_tasks()  # what a worker that died before this one started left behind
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=5)
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            except Exception:
                logger.exception("worker %s could not remove its heartbeat", self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        origin = TaskOrigin.objects.filter(task_id=db_task_result.id).first()
        token = request_id.current.set(origin.request_id if origin else f"task-{db_task_result.id}")
        try:
            super().run_task(db_task_result)
        finally:
            request_id.current.reset(token)
