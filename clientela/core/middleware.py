import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import translation

logger = logging.getLogger(__name__)


def accept_language(request: HttpRequest) -> str | None:
    """The first supported language of the request's Accept-Language header, if any."""
    supported = {code for code, _name in settings.LANGUAGES}
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return None


def request_language(request: HttpRequest) -> str:
    """The language a request is answered in. Pages: the switcher's cookie, else Spanish.
    The API (/api/…): a program says it with Accept-Language (issue 14), else the same."""
    if request.path_info.startswith("/api/"):
        asked = accept_language(request)
        if asked:
            return asked
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class LanguageCookieMiddleware:
    """Spanish unless the user chose otherwise with the switcher.

    Django's LocaleMiddleware falls back to the browser's Accept-Language, which
    would greet a Panamanian office with English on an English-language Windows;
    we use only the cookie the switcher sets, then settings.LANGUAGE_CODE (pages; see
    `request_language` for the API).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer, and `Cache-Control: private, no-store` on the
    pages of a logged-in user and on every API answer (issue 14): what a shared computer's
    browser or a proxy keeps can be read by the next person. Files (logos, documents) say
    their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        content_type = response.headers.get("Content-Type", "")
        if request.path_info.startswith("/api/") or (
            user is not None
            and user.is_authenticated
            and content_type.startswith(("text/html", "application/json"))
        ):
            response.headers["Cache-Control"] = "private, no-store"
        return response


class RejectNulMiddleware:
    """A NUL character in the path or the query string is never meaningful, and
    PostgreSQL refuses it in text: answer 400 here instead of a 500 further down."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "NUL characters are not allowed."}, status=400)
            return HttpResponseBadRequest("NUL characters are not allowed.")
        return self.get_response(request)


class QueryCountHeaderMiddleware:
    """Bench only (settings.CLIENTELA_BENCH_QUERY_HEADER, never on in production): the
    number of SQL statements a request ran, as an X-Queries response header, so the
    benchmark can hold each page to a query budget from outside, over HTTP. Connection
    set-up PRAGMAs on SQLite are not page work and are not counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Callable[..., object], sql: str, *args: object) -> object:
            nonlocal count
            if not sql.lstrip().upper().startswith("PRAGMA"):
                count += 1
            return execute(sql, *args)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Queries"] = str(count)
        return response


class ProductErrorPagesMiddleware:
    """With DEBUG on (`make run`), Django answers a 404 or an exception with its technical
    page, which lists every URL: show the product's own 404/500 pages instead (the
    traceback still goes to the console log). Installed only when DEBUG is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return render(request, "404.html", status=404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404 | PermissionDenied):
            return None  # Django turns these into 404/403; __call__ dresses the 404
        logger.exception("Unhandled error on %s", request.path, exc_info=exception)
        return render(request, "500.html", status=500)
