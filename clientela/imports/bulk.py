"""Writing many validated records at once: the import's write path.

Records with their history, written through the bulk writer seeding uses
(clientela.core.bulk). Contract:
- in: model instances the caller has validated (the services' rules: full_clean, the
  duplicate checks) and the user who writes them;
- runs inside the caller's transaction (refuses to run outside one): all or nothing;
- `create_records`: codes reserved in one UPDATE of the sequence (`sequence_next(name,
  count=n)`), primary keys reserved in one statement, derived columns (search text,
  sort keys) computed in Python, rows written in batches (PostgreSQL COPY, SQLite one
  prepared INSERT per batch), one history entry per record bulk-created;
- `update_records`: the changed columns of each record written with one prepared
  UPDATE per batch, version bumped, one history entry per record bulk-created;
- history entries carry `source` (e.g. "import:12"), so each says where it came from.

Search indexes follow by themselves: PostgreSQL's trigram index, and (issue 12) the
SQLite FTS table's triggers fire on these plain INSERT/UPDATE statements.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from clientela.audit.models import HistoryEntry
from clientela.audit.services import create_entry, update_entry
from clientela.core import bulk
from clientela.core.access import account_path
from clientela.core.sequences import format_code, sequence_next

BATCH_SIZE = 2000


def _in_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("bulk writes must run inside the caller's transaction")


def batches(objects: Iterable[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    return bulk.batches(objects, size)


def derive(record: models.Model) -> None:
    """The columns a model computes on save() (bulk writes skip save())."""
    refresh = getattr(record, "refresh_derived", None)
    if refresh is not None:
        refresh()
    elif hasattr(record, "build_search_text"):
        record.search_text = record.build_search_text()  # type: ignore[attr-defined]
    # Denormalized sort columns (issue 12), where the model has them.
    sort_names = getattr(record, "refresh_sort_names", None)
    if sort_names is not None:
        sort_names()


def _history_account(record: models.Model) -> int | None:
    path = account_path(type(record))
    return int(record.pk) if not path else getattr(record, f"{path}_id", None)


def create_records(
    model: type[models.Model],
    records: Sequence[Any],
    *,
    user: Any,
    source: str,
    code: tuple[str, str, str] | None = None,
) -> None:
    """Write new `records` with their history. `code` = (field, prefix, sequence name)
    for models whose records get a system code (accounts: ("code", "C", "account"))."""
    _in_transaction()
    if not records:
        return
    now = timezone.now()
    if code is not None:
        field, prefix, sequence = code
        first = sequence_next(sequence, count=len(records))
        for offset, record in enumerate(records):
            setattr(record, field, format_code(prefix, first + offset))
    for record, pk in zip(records, bulk.reserve_ids(model, len(records)), strict=True):
        record.pk = pk
        record.created_at = record.updated_at = now
        record.created_by = record.updated_by = user
        derive(record)
    bulk.bulk_insert(model, records, batch_size=BATCH_SIZE)
    entries = [
        create_entry(user=user, instance=r, account_id=_history_account(r), source=source)
        for r in records
    ]
    _write_history(entries, now)


def update_records(
    model: type[models.Model],
    changed: Sequence[tuple[Any, dict[str, str | None]]],
    *,
    user: Any,
    source: str,
) -> None:
    """Write `changed` records (each with its history snapshot from before the change):
    every editable column, the derived ones, a new version and who changed it."""
    _in_transaction()
    if not changed:
        return
    now = timezone.now()
    entries: list[HistoryEntry] = []
    for record, before in changed:
        record.version += 1
        record.updated_at = now
        record.updated_by = user
        derive(record)
        entry = update_entry(
            user=user,
            instance=record,
            before=before,
            account_id=_history_account(record),
            source=source,
        )
        if entry is not None:
            entries.append(entry)
    skip = {"id", "created_at", "created_by", "code", "logo", "logo_thumb"}
    names = [f.name for f in model._meta.concrete_fields if f.name not in skip]
    bulk.bulk_update(model, [record for record, _before in changed], names)
    _write_history(entries, now)


def _write_history(entries: list[HistoryEntry], now: Any) -> None:
    for entry in entries:
        entry.at = now
    bulk.bulk_insert(HistoryEntry, entries, batch_size=BATCH_SIZE)
