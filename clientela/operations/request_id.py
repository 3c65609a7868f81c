"""The request id: taken from the proxy's X-Request-ID (or made here), kept for the
whole request in a context variable, written on every log line and returned in the
response; a task enqueued by the request logs under the same id in the worker."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

current: ContextVar[str] = ContextVar("request_id", default="")

HEADER = "X-Request-ID"
# What we accept from outside: it ends up in log lines and a response header, so no
# spaces, quotes or control characters, and nothing long.
_SAFE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def from_header(value: str | None) -> str:
    """The proxy's id when it is safe to log and echo, else a new one."""
    if value and _SAFE.match(value):
        return value
    return new()


def new() -> str:
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
