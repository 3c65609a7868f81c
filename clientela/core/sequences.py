"""System codes that are sequential, never reused and unique under concurrency.

The counter row is bumped with a single UPDATE inside the caller's transaction: on
PostgreSQL the row lock makes a second creator wait until the first commits or rolls
back; on SQLite the write lock does the same. A rolled-back creation rolls its bump
back with it (the code was never issued); a deleted record never gives its code back,
because the counter never goes down.
"""

from django.db import transaction
from django.db.models import F

from .models import Sequence


def sequence_next(name: str, count: int = 1) -> int:
    """Reserve `count` consecutive values and return the first one."""
    if count < 1:
        raise ValueError("count must be positive")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next must run inside the creating transaction")
    updated = Sequence.objects.filter(name=name).update(last_value=F("last_value") + count)
    if not updated:
        # First use of this counter: create it, tolerating a concurrent creator.
        Sequence.objects.get_or_create(name=name)
        Sequence.objects.filter(name=name).update(last_value=F("last_value") + count)
    last = Sequence.objects.values_list("last_value", flat=True).get(name=name)
    return int(last) - count + 1


_NAMES: set[str] = set()


def register_sequence(name: str) -> None:
    """Declare a counter so its row exists after every migrate (and test flush)."""
    _NAMES.add(name)


def ensure_sequences() -> None:
    for name in _NAMES:
        Sequence.objects.get_or_create(name=name)


def format_code(prefix: str, value: int) -> str:
    return f"{prefix}-{value:06d}"
