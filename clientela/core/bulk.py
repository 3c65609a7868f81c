"""Writing many rows at database speed: the path seeding and imports share.

Contract of `bulk_insert(model, objects)`:
- in: model instances the caller has already validated (full_clean or a generator
  whose output the tests validate) with every derived column filled: codes from one
  `sequence_next(name, count=n)` reservation, `search_text` computed in Python, the
  denormalized sort columns set;
- runs inside the caller's transaction (it refuses to run outside one): all or
  nothing, like any other write;
- gives each instance without a primary key one first (reserved from the table's own
  sequence), so the caller can point related rows at them before they are written;
- writes in batches: PostgreSQL `COPY ... FROM STDIN` (psycopg 3), SQLite one
  `executemany` per batch with the statement prepared once;
- the search indexes stay in step by themselves: the trigram GIN index on PostgreSQL,
  the FTS5 table's triggers on SQLite, and the status-count triggers on accounts.
  No history entries: callers record what they need (an import writes one summary
  entry; seed_demo writes the demo records' creation entries, clientela.audit.demo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .phones import storage_value

BATCH_SIZE = 5000

# Exact classes (not subclasses, which may convert): the driver takes these as they are.
_PLAIN = frozenset(
    {
        models.CharField,
        models.TextField,
        models.EmailField,
        models.URLField,
        models.IntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
        models.BooleanField,
        models.ForeignKey,
        models.BigAutoField,
        models.AutoField,
    }
)


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """None when the driver takes the Python value as it is (most columns), else the
    field's own conversion (decimals, dates, phones, files)."""
    if field.__class__.__name__ == "PhoneNumberField":
        # Validated already: a string is stored as it is, a PhoneNumber as E.164 with its
        # extension, without the field's parse-and-validate round trip.
        return lambda value: value if isinstance(value, str) else storage_value(value)
    if type(field) in _PLAIN:
        return None

    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    # Most such values repeat (the batch's timestamp, round credit limits): convert each
    # distinct value once. JSON values (dicts, lists) cannot be cache keys.
    cached = lru_cache(maxsize=4096)(convert)

    def convert_once(value: Any) -> Any:
        try:
            return cached(value)
        except TypeError:
            return convert(value)

    return convert_once


def batches(objects: Iterable[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    iterator = iter(objects)
    while batch := list(islice(iterator, size)):
        yield batch


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys of `model`'s table, from its own sequence."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so nobody else
        # can take these numbers between this read and the insert.
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")
        top = int(cursor.fetchone()[0])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(top, int(row[0]) if row else 0) + 1
        return list(range(start, start + count))


def bulk_insert(
    model: type[models.Model], objects: Iterable[models.Model], *, batch_size: int = BATCH_SIZE
) -> int:
    """Write `objects` (see the module docstring); returns how many rows were written."""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_insert must run inside the caller's transaction")
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    converters = [_converter(f) for f in fields]
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    table = model._meta.db_table
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A million rows touch every index of the table at random places: with
            # SQLite's default 2 MiB page cache most of that is re-reading pages.
            cursor.execute("PRAGMA cache_size = -262144")
    written = 0
    for batch in batches(objects, batch_size):
        missing = [obj for obj in batch if obj.pk is None]
        for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
            obj.pk = pk
        rows = []
        for obj in batch:
            for name in stamped:
                if getattr(obj, name) is None:
                    setattr(obj, name, now)
            values = [getattr(obj, name) for name in attnames]
            rows.append(
                [
                    value if convert is None or value is None else convert(value)
                    for value, convert in zip(values, converters, strict=True)
                ]
            )
            obj._state.adding = False
            obj._state.db = connection.alias
        _write(table, columns, rows)
        written += len(rows)
    return written


def bulk_update(
    model: type[models.Model], objects: Iterable[models.Model], names: list[str]
) -> int:
    """Write the columns `names` of existing rows, one prepared UPDATE per batch, inside
    the caller's transaction; returns how many rows were written."""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_update must run inside the caller's transaction")
    wanted = set(names)
    fields = [f for f in model._meta.concrete_fields if f.name in wanted]
    converters = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    written = 0
    with connection.cursor() as cursor:
        for batch in batches(objects):
            rows = [
                [
                    value if convert is None or value is None else convert(value)
                    for value, convert in zip(
                        (getattr(obj, f.attname) for f in fields), converters, strict=True
                    )
                ]
                + [obj.pk]
                for obj in batch
            ]
            cursor.executemany(sql, rows)
            written += len(rows)
    return written


def _write(table: str, columns: list[str], rows: list[list[Any]]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",
                rows,
            )


def atomic_bulk_insert(model: type[models.Model], objects: Iterable[models.Model]) -> int:
    """bulk_insert in a transaction of its own, for callers that have none."""
    with transaction.atomic():
        return bulk_insert(model, objects)


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of `table`'s non-unique indexes, as the database has
    them (the trigram GIN index included)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%%'",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE INDEX%%'",
                [table],
            )
        return [(name, sql) for name, sql in cursor.fetchall()]


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    """(name, definition) of `table`'s foreign keys on PostgreSQL: Django makes them
    deferred, so each row of a COPY would queue a check to run at commit; dropped and
    added back, they are validated in one join instead."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        return [(name, definition) for name, definition in cursor.fetchall()]


def _sqlite_trigger(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else None


@contextmanager
def bulk_load(model: type[models.Model]) -> Iterator[None]:
    """For a load that is large next to the table (seeding, a first import): drop the
    table's secondary indexes (and on SQLite the FTS insert trigger), and build them
    again at the end, once, from the sorted data: several times faster than updating
    every index for every row. Unique indexes stay, so duplicates are still refused.
    Runs inside the caller's transaction, so a failure puts everything back."""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load must run inside the caller's transaction")
    table = model._meta.db_table
    quote = connection.ops.quote_name
    indexes = _secondary_indexes(table)
    foreign_keys = _foreign_keys(table)
    fts_trigger = f"{table}_fts_ai"
    trigger_sql = _sqlite_trigger(fts_trigger) if connection.vendor == "sqlite" else None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")
        last_id = int(cursor.fetchone()[0])
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        if trigger_sql:
            cursor.execute(f"DROP TRIGGER {fts_trigger}")
        if connection.vendor == "postgresql":
            # Index builds sort in memory instead of in temporary files.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        if trigger_sql:
            fts = f"{table}_fts"
            cursor.execute(
                f"INSERT INTO {fts}(rowid, search_text) "
                f"SELECT id, search_text FROM {table} WHERE id > %s",
                [last_id],
            )
            cursor.execute(trigger_sql)
