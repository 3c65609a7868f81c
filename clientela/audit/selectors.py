from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from clientela.core.paging import ListPage, panel_page

from .models import HistoryEntry
from .sources import Source, describe_source

HISTORY_PAGE_SIZE = 20

# Functions giving the ids of records merged into a record (clientela.duplicates), as a
# subquery (as text for object ids): their history is read on the survivor's, marked as
# merged, in the same one query.
_ALIASES: list[Callable[[Model, bool], QuerySet[Any] | None]] = []

# Keys of `changes` that are no field: what a merge or its undo records.
PSEUDO_FIELDS = {
    "merged_record": pgettext_lazy("history", "Merged record"),
    "moved_records": pgettext_lazy("history", "Records moved"),
    "merge_undone": pgettext_lazy("history", "Merge undone"),
}


def register_history_alias(aliases: Callable[[Model, bool], QuerySet[Any] | None]) -> None:
    if aliases not in _ALIASES:
        _ALIASES.append(aliases)


def history_for(record: Model) -> QuerySet[HistoryEntry]:
    """A record's history, newest first: an account's holds its own entries and those
    of its related records; any other record's, its own. The caller fetched `record`
    through the access gate (seeing a record is seeing its history). Records merged into
    it bring their history along."""
    if getattr(type(record), "account_path", None) == "":
        where = Q(account_id=record.pk)
        for aliases in _ALIASES:
            merged = aliases(record, False)
            if merged is not None:
                where |= Q(account_id__in=merged)
        entries = HistoryEntry.objects.filter(where)
    else:
        where = Q(object_id=str(record.pk))
        for aliases in _ALIASES:
            merged = aliases(record, True)
            if merged is not None:
                where |= Q(object_id__in=merged)
        entries = HistoryEntry.objects.filter(
            where, content_type=ContentType.objects.get_for_model(type(record))
        )
    return entries.select_related("user", "content_type").order_by("-at", "-id")


@dataclass(frozen=True)
class HistoryLine:
    entry: HistoryEntry
    kind: str
    lines: list["ChangeLine"]
    action: str = ""
    source: Source | None = None
    # From a record merged into this one (clientela.duplicates).
    merged: bool = False


# Spanish participles agree with the record: "Cuenta creada", "Contacto creado". A model whose
# name is feminine in Spanish says so with `grammatical_gender = "feminine"`.
_FEMININE_ACTIONS = {
    HistoryEntry.Action.CREATE: pgettext_lazy("history action, feminine record", "Created"),
    HistoryEntry.Action.UPDATE: pgettext_lazy("history action, feminine record", "Changed"),
    HistoryEntry.Action.DELETE: pgettext_lazy("history action, feminine record", "Deleted"),
}


def entry_action(entry: HistoryEntry) -> str:
    """'Creada' for an account, 'Creado' for a contact: the action in the active language."""
    model = apps.get_model(entry.content_type.app_label, entry.content_type.model)
    feminine = getattr(model, "grammatical_gender", "") == "feminine"
    if feminine and entry.action in _FEMININE_ACTIONS:
        return str(_FEMININE_ACTIONS[HistoryEntry.Action(entry.action)])
    return str(entry.get_action_display())


def history_page(record: Model, number: Any, per_page: int = HISTORY_PAGE_SIZE) -> ListPage:
    """One page of `history_for(record)`, each entry with its kind and its change lines
    in the active language (for the shared partial `partials/history.html`)."""
    page = panel_page(history_for(record), page_number_of(number), per_page)
    # An account's history mixes its records' entries: each says which record it is.
    page.names_records = getattr(type(record), "account_path", None) == ""  # type: ignore[attr-defined]
    page.lines = [  # type: ignore[attr-defined]
        HistoryLine(
            entry,
            entry_kind(entry),
            change_lines(entry),
            entry_action(entry),
            describe_source(entry.source),
            _from_merged(record, entry),
        )
        for entry in page.object_list
    ]
    return page


def _from_merged(record: Model, entry: HistoryEntry) -> bool:
    if not _ALIASES:
        return False
    if getattr(type(record), "account_path", None) == "":
        return entry.account_id != record.pk
    return entry.object_id != str(record.pk)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


def _display(field: Any, value: str | None) -> str:
    if value is None:
        return "—"
    # A field may say how its stored value reads (a phone as the viewer dials it).
    history_display = getattr(field, "history_display", None)
    if history_display is not None:
        return str(history_display(value))
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
        label = str(field.verbose_name) if field is not None else str(PSEUDO_FIELDS.get(name, name))
        lines.append(ChangeLine(label=label, old=_display(field, old), new=_display(field, new)))
    return lines


def page_number_of(value: Any) -> int:
    try:
        return max(1, int(value or 1))
    except (TypeError, ValueError):
        return 1
