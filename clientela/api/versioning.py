"""Optimistic concurrency for the API: GET sends `ETag: "<version>"`; a PATCH must send
the version it read, as `version` in the body or as `If-Match` (SPEC §10)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = etag(version)


def tagged(response: HttpResponse, record: Any) -> Any:
    """`record` as an answer, its version in the ETag (for the next If-Match)."""
    set_etag(response, record.version)
    return record


def expected_version(request: HttpRequest, body_version: int | None) -> int:
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    if header.isdigit():
        return int(header)
    raise ValidationError(
        {"version": [_("Send the version you read, in the body or as If-Match.")]}
    )


def patch_fields(request: HttpRequest, payload: Any) -> tuple[dict[str, Any], int]:
    """A PATCH body's fields (only those sent) and the version it was read at."""
    fields = payload.model_dump(exclude_unset=True)
    return fields, expected_version(request, fields.pop("version", None))
