"""Shared pieces of the API schemas: pages, the error body, enum descriptions."""

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, ValidationInfo, field_validator

from clientela.core.phones import storage_value
from clientela.core.text import MULTILINE_FIELDS, SINGLE_LINE_MESSAGE, fits_one_line

T = TypeVar("T")

# A value the model keeps as an object (a PhoneNumber, a Country) written as its text;
# empty when there is none.
AsText = Annotated[str, BeforeValidator(lambda value: str(value or ""))]
# A phone as stored: E.164, with ";ext=NN" when it has an extension ("+5072634567;ext=12").
PhoneText = Annotated[str, BeforeValidator(storage_value)]


class StorableText(Schema):
    """Every text input of the API, bodies and query strings (issue 14, clientela.core.text):
    stripped before the model's rules run; single-line fields (all but `multiline_fields`) refuse
    line breaks, control characters and bidi overrides. Refuses text the database cannot
    store, as bad input rather than a 500: NUL (PostgreSQL) and lone UTF-16 surrogates
    (`"\\ud800"` in JSON; not UTF-8)."""

    multiline_fields: ClassVar[frozenset[str]] = MULTILINE_FIELDS

    @field_validator("*", mode="after")
    @classmethod
    def storable(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError(_("NUL characters are not allowed."))
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(_("Invalid Unicode characters are not allowed.")) from None
            if info.field_name not in cls.multiline_fields and not fits_one_line(value):
                raise ValueError(str(SINGLE_LINE_MESSAGE))
            # After the schema's own checks (so the OpenAPI document's maxLength holds
            # for what is sent), before the model's rules: "   " is an empty name.
            # An enum member is a str too: it stays the member.
            return value.strip() if type(value) is str else value
        return value


class InputSchema(StorableText):
    """Bodies accept only the fields they declare: an unknown field is a 422."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(..., examples=["The request has invalid fields."])
    errors: dict[str, list[str]] | None = Field(
        None, examples=[{"email": ["Enter a valid email address."]}]
    )


class ConflictOut(Schema):
    """409: a duplicate (with the record that already holds the value), a stale version
    (with the current one), or a record others still depend on."""

    detail: str
    errors: dict[str, list[str]] | None = None
    existing_code: str | None = None
    existing_id: int | None = None
    current_version: int | None = None


# Every operation may answer these (400: a body that is not JSON; 414: a URL over
# api.middleware.API_MAX_URL_LENGTH).
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    414: ErrorOut,
    422: ErrorOut,
}


class Page(Schema, Generic[T]):
    count: int = Field(..., examples=[1])
    count_is_capped: bool = Field(
        False,
        description="True when more items match than were counted: `count` is then a lower "
        "bound (lists of more than 10,000, or a search's first 1,000 candidates).",
    )
    items: list[T]


def choices_description(choices: type[TextChoices], lead: str = "") -> str:
    """'active — Activa / Active; …' so integrators read the labels in both languages."""
    parts = []
    for member in choices:
        with translation.override("es"):
            spanish = str(member.label)
        with translation.override("en"):
            english = str(member.label)
        parts.append(f"`{member.value}` — {spanish} / {english}")
    return (lead + " " if lead else "") + "; ".join(parts)


def choice_field(choices: type[TextChoices], default: Any = ..., lead: str = "") -> Any:
    return Field(
        default,
        description=choices_description(choices, lead),
        examples=[choices.values[0]],
    )


class TrackedOut(Schema):
    """The columns every record has (clientela.core.models.TrackedModel)."""

    version: int = Field(..., examples=[1], description="Send it back to change the record")
    created_at: datetime
    updated_at: datetime
    created_by: str | None = Field(
        None, alias="created_by.username", examples=["ana.gomez"], description="Username"
    )
    updated_by: str | None = Field(
        None, alias="updated_by.username", examples=["ana.gomez"], description="Username"
    )


class SavedOut(Schema):
    """Beside a saved record: what the UI shows after saving (a tax id the rules could
    not settle, a credit limit passed). A warning never refuses the write."""

    warnings: list[str] = Field(
        default_factory=list,
        examples=[["Credit limit passed for account C-000001: …"]],
        description="What the UI shows after saving; the record was saved all the same",
    )


class _WithWarnings:
    """A record read as a SavedOut: its own attributes, plus the service's warnings."""

    def __init__(self, record: Any, warnings: tuple[str, ...]) -> None:
        self._record = record
        self.warnings = list(warnings)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def with_warnings(record: Any, warnings: tuple[str, ...]) -> Any:
    return _WithWarnings(record, warnings)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Pydantic would also take a number (seconds since 1970) or a datetime string."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


# A calendar date as the OpenAPI document says: `YYYY-MM-DD`, nothing else.
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
