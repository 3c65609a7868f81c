"""Gunicorn in production: `gunicorn -c gunicorn.conf.py config.wsgi` (the Dockerfile's
command). One setting per line, each with why; GUNICORN_* variables override the sizes.
See docs/deployment.md for sizing."""

import os

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
