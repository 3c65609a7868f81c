"""gunicorn's own refusals in the SPEC §10 error format.

gunicorn answers some requests before Django sees them — a request line over
`limit_request_line` (414), too many or too large headers (431), a request it cannot
parse (400) — with an HTML page of its own, which no API client can read (issue 14).
`gunicorn.conf.py` puts `write_json_error` in place of gunicorn's writer in each worker,
once Django is set up there. Such a request has no parsed headers, so no language: the
answer is in the installation's default language."""

import json
import socket

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from gunicorn import util

from clientela.api.middleware import error_detail


def error_body(status: int) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        too_large = _("The request headers are too large.")
        detail = too_large if status == 431 else error_detail(status)
    return json.dumps({"detail": detail}, ensure_ascii=False).encode()


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Same signature as gunicorn.util.write_error; gunicorn's detail (`mesg`) may quote
    what the client sent, so it goes to gunicorn's error log only, as before."""
    body = error_body(status_int)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Language: {settings.LANGUAGE_CODE}\r\n"
        "Cache-Control: no-store\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


def install() -> None:
    util.write_error = write_json_error
