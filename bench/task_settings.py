"""Settings for bench/task_backends.py: ours, with the task backend it measures.
BENCH_TASK_BACKEND=db (django-tasks-db, our choice) or rq (django-tasks-rq on Redis at
127.0.0.1:6379; `pip install django-tasks-rq` first: it is not a dependency)."""

import os

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

if os.environ.get("BENCH_TASK_BACKEND", "db") == "rq":
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}  # type: ignore[dict-item]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
