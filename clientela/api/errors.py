"""The API's error format (SPEC §10): `{"detail": "...", "errors": {field: [messages]}}`
with 400/422 for bad input, 401, 403, 404 and 409 (duplicate tax id, stale version)."""

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
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


def _limits(ctx: dict[str, Any]) -> dict[str, Any]:
    return {key: str(value) for key, value in ctx.items() if key != "error"}


def _expected(ctx: dict[str, Any]) -> str:
    # pydantic writes "'natural' or 'legal'"; the code values stay as they are (SPEC §10).
    return str(ctx.get("expected", "")).replace(" or ", ", ")


def schema_message(error: dict[str, Any]) -> str:
    """One pydantic error in the request's language (issue 14): pydantic itself speaks
    only English. Messages our validators raise are translated already."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    values = _limits(ctx)
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"enum", "literal_error"}:
        return _("Enter one of: %(expected)s.") % {"expected": _expected(ctx)}
    if kind == "string_too_long":
        return _("Ensure this value has at most %(max_length)s characters.") % values
    if kind == "string_too_short":
        return _("Ensure this value has at least %(min_length)s characters.") % values
    if kind in {"greater_than_equal", "greater_than"}:
        key = "ge" if kind == "greater_than_equal" else "gt"
        template = (
            _("Ensure this value is greater than or equal to %(limit)s.")
            if key == "ge"
            else _("Ensure this value is greater than %(limit)s.")
        )
        return template % {"limit": values.get(key, "")}
    if kind in {"less_than_equal", "less_than"}:
        key = "le" if kind == "less_than_equal" else "lt"
        template = (
            _("Ensure this value is less than or equal to %(limit)s.")
            if key == "le"
            else _("Ensure this value is less than %(limit)s.")
        )
        return template % {"limit": values.get(key, "")}
    if kind == "decimal_max_digits":
        return _("Ensure that there are no more than %(max_digits)s digits in total.") % values
    if kind == "decimal_max_places":
        return _("Ensure that there are no more than %(decimal_places)s decimal places.") % values
    if kind == "decimal_whole_digits":
        return (
            _(
                "Ensure that there are no more than %(whole_digits)s digits before the "
                "decimal point."
            )
            % values
        )
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a whole number.") if kind.startswith("int_") else _("Enter a number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind.startswith("string_") or kind == "str_type":
        return _("Enter text.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a valid date.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Enter a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Enter an object.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("Enter a valid value.")


# Ninja's own English details, and ours in their place.
_NINJA_DETAILS = {
    "Cannot parse request body": lambda: _("The request body is not valid JSON."),
    "CSRF check Failed": lambda: _("CSRF check failed: send the CSRF token with a session."),
}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def validation_errors_payload(errors: dict[str, list[str]]) -> dict[str, Any]:
    return {"detail": _("The request has invalid fields."), "errors": errors}


def install(api: NinjaAPI, body_param_names: set[str]) -> None:
    def on_too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, 413, _("The request body is too large."))

    def on_schema_error(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            field = _field_of(list(error.get("loc", [])), body_param_names)
            errors.setdefault(field, []).append(schema_message(error))
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
        if isinstance(exc.__cause__, RequestDataTooBig):
            return on_too_big(request, exc.__cause__)
        detail = str(exc)
        for english, translated in _NINJA_DETAILS.items():
            if detail.startswith(english):
                detail = translated()
        return error_response(api, request, exc.status_code, detail)

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

    api.add_exception_handler(RequestDataTooBig, on_too_big)
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
