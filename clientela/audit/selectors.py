from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import HistoryEntry


def history_for_account(account_id: int) -> QuerySet[HistoryEntry]:
    """The account's own entries and those of its related records, newest first. The
    caller has already checked the user may see the account."""
    return (
        HistoryEntry.objects.filter(account_id=account_id)
        .select_related("user", "content_type")
        .order_by("-at", "-id")
    )


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


def _display(field: Any, value: str | None) -> str:
    if value is None:
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.get_internal_type() == "BooleanField":
        return _("Yes") if value == "true" else _("No")
    if field is not None and field.get_internal_type() == "DecimalField":
        try:
            return formats.number_format(Decimal(value), field.decimal_places, force_grouping=True)
        except ArithmeticError:
            return value
    if field is not None and field.get_internal_type() == "DateTimeField":
        parsed = parse_datetime(value)
        if parsed is not None:
            return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
    return value


def entry_kind(entry: HistoryEntry) -> str:
    """'Contact', 'Account'… in the active language."""
    model = apps.get_model(entry.content_type.app_label, entry.content_type.model)
    return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model


def change_lines(entry: HistoryEntry) -> list[ChangeLine]:
    """An entry's changes with field labels and choice labels in the active language."""
    model = apps.get_model(entry.content_type.app_label, entry.content_type.model)
    lines = []
    for name, (old, new) in entry.changes.items():
        try:
            field: Any = model._meta.get_field(name) if model else None
        except Exception:  # a field removed since the entry was written
            field = None
        label = str(field.verbose_name) if field is not None else name
        lines.append(ChangeLine(label=label, old=_display(field, old), new=_display(field, new)))
    return lines
