"""Recording history (SPEC §8). Services call these inside their own transaction, so a
change and its history entry commit or roll back together.

    before = snapshot(account)
    ... change and save ...
    record_update(user=user, instance=account, before=before, account_id=account.pk)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from .models import HistoryEntry

# Bookkeeping columns every tracked model has; their changes are not news.
IGNORED_FIELDS = frozenset(
    {"id", "created_at", "updated_at", "created_by", "updated_by", "version", "search_text"}
)


def _value(instance: models.Model, field: models.Field[Any, Any]) -> str | None:
    """A field's value as history stores it: code for choices, name for relations."""
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name)
        return None if related is None else str(related)
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return None
    # A field may say how history keeps it (a phone keeps its extension, which str() drops).
    history_value = getattr(field, "history_value", None)
    if history_value is not None:
        return history_value(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent == -2 else str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return str(value)


def tracked_fields(instance: models.Model) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in instance._meta.concrete_fields
        if field.name not in IGNORED_FIELDS and not field.name.startswith("_")
    ]


def snapshot(instance: models.Model) -> dict[str, str | None]:
    # Related records are kept by name, in the installation's language whoever saves: a
    # catalog entry has an English name too, and history must not depend on the user's.
    with translation.override(settings.LANGUAGE_CODE):
        return {field.name: _value(instance, field) for field in tracked_fields(instance)}


def _entry(
    *,
    user: Any,
    action: str,
    instance: models.Model,
    account_id: int | None,
    changes: dict[str, list[str | None]],
    source: str | None = None,
) -> HistoryEntry:
    return HistoryEntry(
        user=user if getattr(user, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:250],
        account_id=account_id,
        changes=changes,
        source=source,
    )


def _record(
    *,
    user: Any,
    action: str,
    instance: models.Model,
    account_id: int | None,
    changes: dict[str, list[str | None]],
) -> HistoryEntry:
    entry = _entry(
        user=user, action=action, instance=instance, account_id=account_id, changes=changes
    )
    entry.save()
    return entry


def create_entry(
    *, user: Any, instance: models.Model, account_id: int | None, source: str | None = None
) -> HistoryEntry:
    """The creation entry of `instance`, unsaved: bulk writers save many at once
    (HistoryEntry.objects.bulk_create) in their own transaction."""
    changes = {name: [None, new] for name, new in snapshot(instance).items() if new is not None}
    return _entry(
        user=user,
        action=HistoryEntry.Action.CREATE,
        instance=instance,
        account_id=account_id,
        changes=changes,
        source=source,
    )


def update_entry(
    *,
    user: Any,
    instance: models.Model,
    before: dict[str, str | None],
    account_id: int | None,
    source: str | None = None,
) -> HistoryEntry | None:
    """The change entry of `instance` since `before`, unsaved; None when nothing changed."""
    after = snapshot(instance)
    changes = {
        name: [before.get(name), new] for name, new in after.items() if before.get(name) != new
    }
    if not changes:
        return None
    return _entry(
        user=user,
        action=HistoryEntry.Action.UPDATE,
        instance=instance,
        account_id=account_id,
        changes=changes,
        source=source,
    )


def record_create(*, user: Any, instance: models.Model, account_id: int | None) -> HistoryEntry:
    entry = create_entry(user=user, instance=instance, account_id=account_id)
    entry.save()
    return entry


def record_update(
    *,
    user: Any,
    instance: models.Model,
    before: dict[str, str | None],
    account_id: int | None,
) -> HistoryEntry | None:
    """One entry with every changed field; nothing when nothing changed."""
    entry = update_entry(user=user, instance=instance, before=before, account_id=account_id)
    if entry is not None:
        entry.save()
    return entry


def record_delete(
    *, user: Any, instance: models.Model, account_id: int | None, object_id: Any = None
) -> HistoryEntry:
    """Call before deleting (the instance still has its pk and relations)."""
    changes = {name: [old, None] for name, old in snapshot(instance).items() if old is not None}
    return _record(
        user=user,
        action=HistoryEntry.Action.DELETE,
        instance=instance,
        account_id=account_id,
        changes=changes,
    )
