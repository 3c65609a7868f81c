"""Task backends measured: N small jobs, throughput and latency, 1 and 2 workers.

    DATABASE_URL=postgres://…/scratch BENCH_TASK_BACKEND=db|rq \\
        .venv/bin/python bench/task_backends.py [--jobs 400] [--trickle 40]

Throughput: the workers are started and idle, then N jobs are enqueued at once; jobs
per second from the first enqueue to the last finish. Latency: jobs enqueued one at a
time to idle workers; from enqueue to seen finished, p50 and p95. The database worker
polls every 0.1 s here (`--interval 0.1`; the default is 1 s). The figures and the
decision are in docs/deployment.md ("Background work").
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.task_settings"
os.environ.setdefault("CLIENTELA_TESTING", "1")

import django  # noqa: E402

django.setup()

from django_tasks import task  # noqa: E402


@task()
def noop(n: int) -> int:
    return n


def start_workers(count: int, backend: str) -> list[subprocess.Popen]:
    if backend == "rq":
        command = ["rqworker", "default", "--job-class", "django_tasks_rq.Job"]
    else:
        command = ["db_worker", "--queue-name", "*", "--interval", "0.1", "--no-reload"]
    return [
        subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(count)
    ]


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=30)


def wait_all(results: list, timeout: float = 300) -> list:
    """Each job's final result, polled in enqueue order: about one query per job, so the
    measuring process does not compete with the workers for the CPU."""
    deadline = time.monotonic() + timeout
    done = []
    for result in results:
        while not (fresh := noop.get_result(result.id)).is_finished:
            if time.monotonic() > deadline:
                raise SystemExit("jobs did not finish in time")
            time.sleep(0.01)
        done.append(fresh)
    return done


def measure(backend: str, workers: int, jobs: int, trickle: int) -> dict[str, float]:
    running = start_workers(workers, backend)
    try:
        time.sleep(4)  # started and idle
        started = time.perf_counter()
        results = [noop.enqueue(n) for n in range(jobs)]
        wait_all(results)
        elapsed = time.perf_counter() - started
        latencies = []
        for n in range(trickle):
            time.sleep(0.1)
            sent = time.perf_counter()
            wait_all([noop.enqueue(n)])
            # Seen finished by polling every 10 ms: within 10 ms of the real finish.
            latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        stop(running)
    latencies.sort()
    return {
        "jobs_per_second": jobs / elapsed,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--trickle", type=int, default=40)
    args = parser.parse_args()
    backend = os.environ.get("BENCH_TASK_BACKEND", "db")
    for workers in (1, 2):
        figures = measure(backend, workers, args.jobs, args.trickle)
        print(
            f"{backend}\tworkers={workers}\t{figures['jobs_per_second']:.0f} jobs/s\t"
            f"p50 {figures['p50_ms']:.0f} ms\tp95 {figures['p95_ms']:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main()
