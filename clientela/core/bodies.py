"""How large a request body may be, decided from its declared length before a byte of it
is read (issue 14, SPEC §6).

Django reads a body when something first asks for request.POST or request.FILES, and
the CSRF check asks before any view runs: an anonymous client with a csrftoken cookie
could make a worker spool 300 MB to the temporary folder before being sent to the login
page, and a viewer's 300 MB API upload was read whole before its 403. So
`RequestBodyLimitMiddleware` answers 413 by `Content-Length`, unread:

- everywhere, at most CLIENTELA_MAX_BODY_BYTES (forms, JSON: 2.5 MB by default);
- for an anonymous request, at most CLIENTELA_ANONYMOUS_MAX_BODY_BYTES (the login form);
- on an upload endpoint (registered by its app: documents, logo, imports), the upload's
  own limit, but only for a user whose role may upload there.

A body without `Content-Length` (chunked) is never read by Django: it sees it empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# The multipart framing and the form's other fields, on top of the files themselves.
UPLOAD_MARGIN = 1024 * 1024


@dataclass(frozen=True)
class UploadEndpoint:
    limit: Callable[[], int]
    """The largest body the endpoint accepts, in bytes (read when asked: tests and
    settings may change it)."""
    may_upload: Callable[[Any], bool]
    """Whether the (authenticated) user's role may upload here at all."""
    answered_by_view: bool = False
    """The view itself refuses a body over `limit()` before reading it, with a message
    of its own (the documents panel): for users who may upload, it answers."""


_UPLOADS: dict[str, UploadEndpoint] = {}
_USER_SOURCES: list[Callable[[HttpRequest], Any]] = []


def register_upload(
    route: str,
    *,
    limit: Callable[[], int],
    may_upload: Callable[[Any], bool],
    answered_by_view: bool = False,
) -> None:
    """A POST to the URL pattern `route` (as in urls.py: "accounts/<str:code>/logo/")
    may carry up to `limit()` bytes for a user `may_upload` accepts."""
    _UPLOADS[route] = UploadEndpoint(
        limit=limit, may_upload=may_upload, answered_by_view=answered_by_view
    )


def register_user_source(source: Callable[[HttpRequest], Any]) -> None:
    """How a request without a session says who it is (the API's bearer tokens)."""
    _USER_SOURCES.append(source)


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body then either


def _user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    for source in _USER_SOURCES:
        found = source(request)
        if found is not None:
            return found
    return None


def body_limit(request: HttpRequest) -> int | None:
    """The largest body this request may carry, in bytes; None when the view says."""
    general: int = settings.CLIENTELA_MAX_BODY_BYTES
    user = _user(request)
    if user is None or not user.is_active:
        return min(general, settings.CLIENTELA_ANONYMOUS_MAX_BODY_BYTES)
    if request.method != "POST":
        return general
    try:
        route = resolve(request.path_info).route
    except Resolver404:
        return general
    endpoint = _UPLOADS.get(route)
    if endpoint is None or not endpoint.may_upload(user):
        return general
    if endpoint.answered_by_view:
        return None
    return max(general, endpoint.limit())


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    from django.template.defaultfilters import filesizeformat

    message = _("The request is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=413)
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    return response


class RequestBodyLimitMiddleware:
    """After the session and the user are known, before anything reads the body (the
    CSRF check does in its process_view, which runs after every middleware's __call__)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        # The common case costs nothing: a body no one may be refused is not looked into.
        if length > min(
            settings.CLIENTELA_ANONYMOUS_MAX_BODY_BYTES, settings.CLIENTELA_MAX_BODY_BYTES
        ):
            limit = body_limit(request)
            if limit is not None and length > limit:
                return too_large(request, limit)
        return self.get_response(request)
