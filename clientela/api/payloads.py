"""From an API body to a service's data: codes, ids and usernames become the records
they name (only records the caller may use), enums their values; a value that names
nothing is a 422 beside its field, as the form would say it."""

from collections.abc import Callable, Collection
from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from clientela.users.selectors import user_get_active_by_username

# A value → the record it names; raises ValidationError with the message for the field.
Lookup = Callable[[Any], Any]


def service_data(
    payload: dict[str, Any],
    *,
    lookups: dict[str, Lookup] | None = None,
    not_null: Collection[str] = (),
    blank_means_unchanged: Collection[str] = (),
) -> dict[str, Any]:
    """`payload` (a schema's model_dump) as the service takes it. Fields in
    `blank_means_unchanged` are left out when blank (the service keeps or defaults
    them); `not_null` fields refuse null; a blank looked-up field is None."""
    lookups = lookups or {}
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, value in payload.items():
        if isinstance(value, Enum):
            value = value.value
        blank = value is None or (isinstance(value, str) and not value.strip())
        if blank and field in blank_means_unchanged:
            continue
        if field in not_null and (value is None or (blank and field in lookups)):
            errors[field] = [_("This field cannot be null.")]
            continue
        if field in lookups:
            if blank:
                value = None
            else:
                try:
                    value = lookups[field](value)
                except ValidationError as exc:
                    errors[field] = exc.messages
                    continue
        data[field] = value
    if errors:
        raise ValidationError(errors)
    return data


def by_code(records: QuerySet[Any], message: str | None = None) -> Lookup:
    """A lookup by `code` among `records` (already narrowed to what may be used)."""

    def lookup(value: Any) -> Model:
        found = records.filter(code=str(value).strip().upper()).first()
        if found is None:
            raise ValidationError(message or _("No active entry with this code."))
        return found

    return lookup


def by_pk(records: QuerySet[Any], message: str) -> Lookup:
    def lookup(value: Any) -> Model:
        found = records.filter(pk=value).first()
        if found is None:
            raise ValidationError(message)
        return found

    return lookup


def active_user(value: Any) -> Model:
    found = user_get_active_by_username(str(value).strip())
    if found is None:
        raise ValidationError(_("No active user with this username."))
    return found
