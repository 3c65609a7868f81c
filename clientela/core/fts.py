"""Substring search on `search_text` that an index serves on both databases.

- PostgreSQL: `search_text LIKE '%word%'`, served by the pg_trgm GIN index each
  searchable table has (see the apps' search-index migrations).
- SQLite: an FTS5 table with the trigram tokenizer, `<table>_fts`, kept in step with
  `search_text` by triggers (`sqlite_fts_sql`); a word of three characters or more is a
  phrase MATCH on it (substring semantics, like LIKE). Shorter words fall back to LIKE,
  narrowed by the longer words when there are any.

The SQLite triggers live on the table: a later migration that makes SQLite rebuild the
table (most AlterField/AddField with a default) drops them, so it must run
`sqlite_fts_sql` again (the FTS tests fail loudly if it does not).
"""

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from .search import search_words

M = TypeVar("M", bound=Model)
_SEPARATORS = re.compile(r"[\s\-.()/+]")
MIN_TRIGRAM = 3


def sqlite_fts_sql(table: str) -> list[str]:
    """Statements creating `<table>_fts` (external content: no second copy of the text),
    its triggers, and filling it from the rows already there."""
    fts = f"{table}_fts"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"DROP TABLE IF EXISTS {fts}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} "
        f"WHEN old.search_text IS NOT new.search_text BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


# Tables with a search index, registered by their apps (AppConfig.ready).
_FTS_TABLES: set[str] = set()


def register_fts_table(table: str) -> None:
    _FTS_TABLES.add(table)


def ensure_sqlite_fts(connection: Any) -> list[str]:
    """Reinstall the FTS table and triggers of every registered table where SQLite lost
    them: a migration that rebuilds a table on SQLite (most AlterField) drops its
    triggers. Run after every migrate; returns the tables repaired."""
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        for table in sorted(_FTS_TABLES):
            names = {f"{table}_fts_ai", f"{table}_fts_ad", f"{table}_fts_au", f"{table}_fts"}
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                sorted(names),
            )
            if cursor.fetchone()[0] == len(names):
                continue
            for sql in sqlite_fts_sql(table):
                cursor.execute(sql)
            repaired.append(table)
    return repaired


def sqlite_fts_drop_sql(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"DROP TABLE IF EXISTS {fts}",
    ]


def word_alternatives(word: str) -> list[str]:
    """A word and, for '6123-4567' or '8-123-456', its digits without separators, so a
    phone typed any way finds the stored digits."""
    compact = _SEPARATORS.sub("", word)
    if compact and compact != word and any(ch.isdigit() for ch in compact):
        return [word, compact]
    return [word]


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_match(groups: Sequence[Sequence[str]]) -> str:
    parts = []
    for alternatives in groups:
        phrases = [_phrase(w) for w in alternatives]
        parts.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(parts)


def _like(alternatives: Sequence[str]) -> Q:
    condition = Q()
    for word in alternatives:
        condition |= Q(search_text__contains=word)
    return condition


def apply_search(queryset: QuerySet[M], query: str) -> QuerySet[M]:
    """`queryset` narrowed to rows whose search_text holds every word of `query`."""
    groups = [word_alternatives(word) for word in search_words(query)]
    if not groups:
        return queryset
    if connection.vendor != "sqlite":
        for alternatives in groups:
            queryset = queryset.filter(_like(alternatives))
        return queryset
    long_groups = [g for g in groups if all(len(w) >= MIN_TRIGRAM for w in g)]
    if long_groups:
        table = queryset.model._meta.db_table
        fts = f"{table}_fts"
        queryset = queryset.filter(
            pk__in=RawSQL(
                f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s",
                [_fts_match(long_groups)],
            )
        )
    for alternatives in groups:
        if alternatives not in long_groups:
            queryset = queryset.filter(_like(alternatives))
    return queryset
