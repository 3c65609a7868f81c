"""Gunicorn in production: `gunicorn -c gunicorn.conf.py config.wsgi` (the Dockerfile's
command). One setting per line, each with why; GUNICORN_* variables override the sizes.
See docs/deployment.md for sizing."""

import os
import shutil
import tempfile
from typing import Any

_cores = os.cpu_count() or 1

# Where the proxy reaches this app server.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes: the usual 2 x cores + 1; each holds one database connection per thread.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * _cores + 1)))
# Threads per process: a slow download or upload does not hold a whole process.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Threads need the gthread worker.
worker_class = "gthread"
# A request still running after this many seconds is stuck: its worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a deploy or scale-down, requests in flight get this long to finish.
graceful_timeout = 30
# Connections from the proxy are kept open between requests.
keepalive = 5
# Recycle a process after this many requests (with jitter), so memory cannot creep.
max_requests = 2000
max_requests_jitter = 200
# Request limits: longest request line, most headers, longest header (bytes).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# X-Forwarded-* is believed only from these addresses (the proxy), never from clients.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The workers' heartbeat files in memory, not on a container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Logs on stdout/stderr; access lines as JSON with the request id Django returned.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "request": "%(r)s", '
    '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)

# ── Request bodies and the temporary files of uploads (issue 14) ──────────────────────
# Bodies are limited by Django before they are read (clientela.core.bodies); the proxy
# in front allows the largest upload (docs/deployment.md: client_max_body_size). An
# upload larger than 2.5 MB is spooled to a temporary file while it streams in, and a
# worker killed mid-request (timeout, out of memory, kill -9) cannot remove it: each
# worker spools into its own folder, which the master removes when the worker exits.
upload_temp_root = os.environ.get("CLIENTELA_UPLOAD_TEMP_DIR") or os.path.join(
    tempfile.gettempdir(), "clientela-uploads"
)


def _worker_upload_dir(pid: int) -> str:
    return os.path.join(upload_temp_root, f"worker-{pid}")


def on_starting(server: object) -> None:
    """Left by a previous master that did not stop cleanly: nothing there is in use."""
    os.makedirs(upload_temp_root, exist_ok=True)
    for name in os.listdir(upload_temp_root):
        if name.startswith("worker-"):
            shutil.rmtree(os.path.join(upload_temp_root, name), ignore_errors=True)


def post_fork(server: object, worker: Any) -> None:
    """Before the worker loads Django: its settings read FILE_UPLOAD_TEMP_DIR from here."""
    folder = _worker_upload_dir(worker.pid)
    os.makedirs(folder, exist_ok=True)
    os.environ["CLIENTELA_UPLOAD_TEMP_DIR"] = folder


def post_worker_init(worker: Any) -> None:
    """Requests gunicorn refuses itself (URL over limit_request_line, headers over their
    limits, unparseable) are answered in the API's JSON error format, not gunicorn's
    HTML page; Django is set up in the worker by now (clientela.core.server_errors)."""
    from clientela.core.server_errors import install

    install()


def child_exit(server: object, worker: Any) -> None:
    """In the master, however the worker ended."""
    shutil.rmtree(_worker_upload_dir(worker.pid), ignore_errors=True)
