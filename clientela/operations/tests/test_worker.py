"""Several workers at once, a worker killed mid-job, and the lost-task reaper."""

import json
import os
import signal
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clientela.operations import request_id
from clientela.operations.models import TaskOrigin, WorkerHeartbeat
from clientela.operations.worker import Worker, reap_lost_tasks

from . import tasks
from .installation import ROOT, new_installation

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def running_task(worker_ids, started_minutes_ago=10):
    result = tasks.trace_run.using(backend="default").enqueue("/dev/null", "x")
    row = DBTaskResult.objects.get(id=result.id)
    row.status = "RUNNING"
    row.worker_ids = worker_ids
    row.started_at = timezone.now() - timedelta(minutes=started_minutes_ago)
    row.save()
    return row


def heartbeat(worker_id, seconds_ago=0):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="h",
        pid=1,
        started_at=now,
        seen_at=now - timedelta(seconds=seconds_ago),
    )


# ── The reaper, in process ───────────────────────────────────────────────────────────────


def test_a_running_task_of_a_lost_worker_goes_back_to_the_queue(settings):
    settings.TASKS = DATABASE_TASKS
    row = running_task(["gone"])
    heartbeat("gone", seconds_ago=600)
    assert reap_lost_tasks() == [str(row.id)]
    row.refresh_from_db()
    assert row.status == "READY" and row.started_at is None
    assert row.worker_ids == ["gone"]  # the attempt stays on record


def test_a_running_task_of_a_live_worker_is_left_alone(settings):
    settings.TASKS = DATABASE_TASKS
    row = running_task(["alive"])
    heartbeat("alive", seconds_ago=1)
    assert reap_lost_tasks() == []
    row.refresh_from_db()
    assert row.status == "RUNNING"


def test_a_task_whose_workers_were_lost_too_often_is_marked_failed(settings):
    settings.TASKS = DATABASE_TASKS
    settings.CLIENTELA_TASK_MAX_ATTEMPTS = 3
    row = running_task(["a", "b", "c"])
    assert reap_lost_tasks() == [str(row.id)]
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == "clientela.operations.worker.WorkerLost"
    assert "3 attempts" in row.traceback


def test_a_task_just_started_is_not_reaped_before_the_stale_delay(settings):
    settings.TASKS = DATABASE_TASKS
    running_task(["starting"], started_minutes_ago=0)
    assert reap_lost_tasks() == []


# ── Request ids follow a task into the worker ─────────────────────────────────────────────


def test_a_task_runs_under_the_request_id_that_enqueued_it(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    trace = tmp_path / "trace"
    token = request_id.current.set("req-from-proxy-1")
    try:
        result = tasks.trace_request_id.enqueue(str(trace))
    finally:
        request_id.current.reset(token)
    assert TaskOrigin.objects.get(task_id=result.id).request_id == "req-from-proxy-1"
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w1",
        excluded_queue_names=[],
    )
    worker.run_task(DBTaskResult.objects.get(id=result.id))
    assert trace.read_text().strip() == "req-from-proxy-1"
    assert request_id.current.get() == ""


def test_a_task_enqueued_outside_a_request_records_no_origin(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    tasks.trace_request_id.enqueue(str(tmp_path / "trace"))
    assert not TaskOrigin.objects.exists()


# ── Real worker processes on a shared database ───────────────────────────────────────────

ENQUEUE = """
from clientela.operations.tests import tasks
for i in range({count}):
    tasks.trace_run.enqueue({path!r}, str(i), {seconds})
"""


def start_worker(installation, log, **env):
    return installation.popen(
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--queue-name",
        "*",
        "--interval",
        "0.1",
        "--no-reload",
        log=log,
        CLIENTELA_WORKER_HEARTBEAT_SECONDS="1",
        CLIENTELA_WORKER_STALE_SECONDS="3",
        **env,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except Exception:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(predicate, timeout=60.0, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


@pytest.fixture
def installation(tmp_path):
    installation = new_installation(tmp_path / "site")
    yield installation
    installation.drop()


def test_two_workers_run_every_job_exactly_once(installation, tmp_path):
    trace = tmp_path / "trace"
    count = 40
    installation.manage("shell", "-c", ENQUEUE.format(count=count, path=str(trace), seconds=0.02))
    workers = [start_worker(installation, tmp_path / f"worker{n}.log") for n in (1, 2)]
    try:
        done = wait_for(
            lambda: (
                installation.query(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = %s",
                    ("SUCCESSFUL",),
                )[0][0]
                == count
            )
        )
    finally:
        for worker in workers:
            stop(worker)
    assert done, (tmp_path / "worker1.log").read_text()[-3000:]
    lines = trace.read_text().split("\n")
    finished = sorted(int(line.split()[1]) for line in lines if line.startswith("done"))
    assert finished == list(range(count))  # none lost, none run twice
    assert installation.query("SELECT COUNT(*) FROM operations_workerheartbeat") == [(0,)]


def test_a_job_whose_worker_is_killed_is_run_again_by_another(installation, tmp_path):
    trace = tmp_path / "trace"
    installation.manage("shell", "-c", ENQUEUE.format(count=1, path=str(trace), seconds=2))
    first = start_worker(installation, tmp_path / "first.log")
    try:
        assert wait_for(lambda: trace.exists() and "start" in trace.read_text(), timeout=30)
        os.killpg(first.pid, signal.SIGKILL)  # mid-job: no clean-up of any kind
        first.wait()
        assert installation.query("SELECT status FROM django_tasks_database_dbtaskresult") == [
            ("RUNNING",)
        ]
        second = start_worker(installation, tmp_path / "second.log")
        try:
            finished = wait_for(
                lambda: (
                    installation.query("SELECT status FROM django_tasks_database_dbtaskresult")
                    == [("SUCCESSFUL",)]
                ),
                timeout=60,
            )
        finally:
            stop(second)
    finally:
        stop(first)
    assert finished, (tmp_path / "second.log").read_text()[-3000:]
    lines = [line.split()[0] for line in trace.read_text().split("\n") if line]
    assert lines == ["start", "start", "done"]
    (worker_ids,) = installation.query("SELECT worker_ids FROM django_tasks_database_dbtaskresult")[
        0
    ]
    assert len(json.loads(worker_ids) if isinstance(worker_ids, str) else worker_ids) == 2
    log = (tmp_path / "second.log").read_text()
    assert "given back to the queue" in log
