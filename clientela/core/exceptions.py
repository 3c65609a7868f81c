"""Errors the services raise and every caller (views, API, importer) maps the same way:
see clientela.core.forms for pages and clientela.api.errors for JSON."""

from typing import Any

from django.core.exceptions import ValidationError


class StaleVersionError(Exception):
    """Someone saved the record after the user loaded it; their save would overwrite it."""

    def __init__(self, current: Any) -> None:
        super().__init__("stale version")
        self.current = current


class DuplicateError(ValidationError):
    """The record would repeat one that must be unique (a tax id, a file's content);
    carries the existing record so the user can be sent to it (409 in the API)."""

    def __init__(self, field: str, message: Any, existing: Any, **params: Any) -> None:
        super().__init__({field: ValidationError(message, code="duplicate", params=params or None)})
        self.field = field
        self.existing = existing


class RecordsAttachedError(ValidationError):
    """The record cannot be deleted while other records point at it (409 in the API)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, code="protected")
