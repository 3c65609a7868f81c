"""Every answer under /api/v1/ is JSON in the SPEC §10 error format (issue 14): what Django
answers before or around the API — an unknown path, a bad Host, a refused body, a server
error — is HTML otherwise, which no API client can read."""

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from clientela.core.middleware import request_language

API_PREFIX = "/api/v1/"
# Longer path + query strings answer 414 here, as JSON. Request lines over gunicorn's
# limit_request_line (8,190 in gunicorn.conf.py) never reach Django: gunicorn answers
# them, in the same JSON format (clientela.core.server_errors).
API_MAX_URL_LENGTH = 8000
# Headers of the refused answer worth keeping on its JSON replacement.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def error_detail(status: int) -> str:
    messages = {
        400: _("The request is not valid."),
        401: _("Authentication required."),
        403: _("Your role does not allow this action."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        414: _("The URL is too long."),
    }
    if status in messages:
        return messages[status]
    if status >= 500:
        return _("The server could not answer this request; try again later.")
    return _("The request could not be answered (%(status)s %(reason)s).") % {
        "status": status,
        "reason": HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "",
    }


class ApiErrorsAsJsonMiddleware:
    """Outermost but for request ids: sees the answers of every middleware inside it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        length = len(request.META.get("PATH_INFO", "")) + len(request.META.get("QUERY_STRING", ""))
        if length > API_MAX_URL_LENGTH:
            return self._json_error(request, 414)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            replacement = self._json_error(request, response.status_code)
            for header in KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    @staticmethod
    def _json_error(request: HttpRequest, status: int) -> HttpResponse:
        language = request_language(request)
        with translation.override(language):
            response = JsonResponse({"detail": error_detail(status)}, status=status)
        response["Content-Language"] = language
        return response
