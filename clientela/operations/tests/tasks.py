"""Tasks for the worker tests: each leaves a trace in a file, so the test sees every run
(the task framework's own row says only the last outcome)."""

import os
import time

from django_tasks import task

from clientela.operations import request_id


def _write(path: str, line: str) -> None:
    # One small O_APPEND write: lines from several processes never interleave.
    with open(path, "a", encoding="utf-8") as trace:
        trace.write(line + "\n")


@task()
def trace_run(path: str, label: str, seconds: float = 0.0) -> str:
    _write(path, f"start {label} {os.getpid()}")
    time.sleep(seconds)
    _write(path, f"done {label} {os.getpid()}")
    return label


@task()
def trace_request_id(path: str) -> None:
    _write(path, request_id.current.get())
