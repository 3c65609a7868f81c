"""Accent- and case-insensitive search that behaves the same on SQLite and PostgreSQL.

Each searchable model keeps a `search_text` column: its searchable fields folded to
lower-case ASCII and joined by spaces, written on every save. A query is folded the
same way and matched with LIKE '%word%' per word, which a trigram index serves on
PostgreSQL at a million rows (see the accounts migration); no per-row Python.
"""

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

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
    try:
        parsed = phonenumbers.parse(str(number), None)
    except phonenumbers.NumberParseException:
        return [str(number)]
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return [str(number).lstrip("+"), "".join(ch for ch in national if ch.isdigit())]
