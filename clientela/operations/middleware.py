from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import request_id, views

HEALTH_VIEWS = {"/healthz": views.healthz, "/readyz": views.readyz}


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line of the request, from any layer, carries it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = request_id.from_header(request.headers.get(request_id.HEADER))
        # Kept until the response is closed (request_finished clears it), not reset on
        # the way out: Django logs a 4xx/5xx after the middleware has returned.
        request_id.current.set(value)
        response = self.get_response(request)
        response[request_id.HEADER] = value
        return response


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before anything else runs: a probe reaches the server
    by its address (not an allowed host name), over plain HTTP (no SSL redirect), without
    a session or a login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = HEALTH_VIEWS.get(request.path_info.rstrip("/") or "/")
        if view is not None and request.method in {"GET", "HEAD"}:
            return view(request)
        return self.get_response(request)
