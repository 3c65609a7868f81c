"""Accent- and case-insensitive search that behaves the same on SQLite and PostgreSQL.

Each searchable model keeps a `search_text` column: its searchable fields folded to
lower-case ASCII and joined by spaces, written on every save. A query is folded the
same way and matched with LIKE '%word%' per word, which a trigram index serves on
PostgreSQL at a million rows (see the accounts migration); no per-row Python.
"""

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import phonenumbers
from django.db.models import QuerySet

_SPACES = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """'  Panamá  S.A. ' -> 'panama s.a.'"""
    if value.isascii():
        # Nothing to fold but the case (casefold is lower() on ASCII): the common case
        # of codes, e-mail addresses and digits, without a per-character pass.
        return _SPACES.sub(" ", value.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def build_search_text(values: Iterable[object]) -> str:
    return " ".join(normalize_text(str(v)) for v in values if v not in (None, ""))


def search_words(query: str) -> list[str]:
    """Words of a query, folded; at most 8 so a pasted paragraph cannot explode the SQL."""
    return normalize_text(query).split()[:8]


def phone_variants(number: object) -> list[str]:
    """E.164 digits and the national digits of a phone, so '6123-4567' and
    '+507 6123 4567' both find the record."""
    if not number:
        return []
    if isinstance(number, phonenumbers.PhoneNumber):
        parsed = number  # already parsed (a model's phone field): no second parse
    else:
        try:
            parsed = phonenumbers.parse(str(number), None)
        except phonenumbers.NumberParseException:
            return [str(number)]
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return [str(number).lstrip("+"), "".join(ch for ch in national if ch.isdigit())]


def rebuild_search_text(records: QuerySet[Any]) -> int:
    """Write again the search text of `records` (after something they copy into it
    changed, e.g. their account's name); returns how many changed. Runs in the caller's
    transaction. Each model builds its own text with `build_search_text()`."""
    changed = []
    for record in records.iterator(chunk_size=500):
        text = record.build_search_text()
        if text != record.search_text:
            record.search_text = text
            changed.append(record)
    records.model._default_manager.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)
