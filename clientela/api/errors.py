"""The API's error format (SPEC §10): `{"detail": "...", "errors": {field: [messages]}}`
with 400/422 for bad input, 401, 403, 404 and 409 (duplicate tax id, stale version)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from clientela.core.exceptions import DuplicateError, RecordsAttachedError, StaleVersionError

# Where ninja says an invalid value was: the first part is the source, then the
# parameter name for bodies and schemas; what remains is the field path.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


class ConflictError(Exception):
    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


def _field_of(loc: list[Any], param_names: set[str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in param_names:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def validation_errors_payload(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"detail": _("The request has invalid fields."), "errors": errors}


def install(api: NinjaAPI, body_param_names: set[str]) -> None:
    def on_schema_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            field = _field_of(list(error.get("loc", [])), body_param_names)
            message = str(error.get("msg", "invalid"))
            if error.get("type") == "extra_forbidden":
                message = _("Unknown field.")
            errors.setdefault(field, []).append(message)
        return api.create_response(request, validation_errors_payload(errors), status=422)

    def on_model_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return api.create_response(request, validation_errors_payload(errors), status=422)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 404, _("Not found."))

    def on_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 403, _("Your role does not allow this action."))

    def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = error_response(api, request, 401, _("Authentication required."))
        response["WWW-Authenticate"] = 'Bearer realm="clientela"'
        return response

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, exc.status_code, str(exc))

    def on_stale(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api,
            request,
            409,
            _("Someone changed this record since you read it; read it again."),
            current_version=getattr(exc.current, "version", None),
        )

    def on_conflict(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 409, exc.detail, **exc.extra)

    def on_duplicate(request: HttpRequest, exc: Any) -> HttpResponse:
        messages = [str(m) for m in exc.message_dict.get(exc.field, exc.messages)]
        return error_response(
            api,
            request,
            409,
            " ".join(messages),
            errors={exc.field: messages},
            existing_code=getattr(exc.existing, "code", None),
            existing_id=exc.existing.pk,
        )

    def on_attached(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 409, " ".join(exc.messages))

    def on_unreadable_body(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(
            api, request, 400, _("The request body is not valid multipart/form-data.")
        )

    api.add_exception_handler(MultiPartParserError, on_unreadable_body)
    api.add_exception_handler(NinjaValidationError, on_schema_error)
    api.add_exception_handler(DjangoValidationError, on_model_error)
    # Handlers are matched along the exception's MRO: these win over ValidationError's.
    api.add_exception_handler(DuplicateError, on_duplicate)
    api.add_exception_handler(RecordsAttachedError, on_attached)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(StaleVersionError, on_stale)
    api.add_exception_handler(ConflictError, on_conflict)
