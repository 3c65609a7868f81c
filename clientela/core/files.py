"""Stored files that follow the transaction that wrote them (STYLE §3).

A file goes to storage (a folder or an object store) before the row that names it is
committed, so a rolled-back transaction — the service's own, or any outer one — would
leave an orphan behind. `remove_on_rollback` deletes it then; `remove_on_commit` deletes
a replaced or deleted record's file only once that change has committed.
"""

from __future__ import annotations

import logging

from django.core.files.storage import Storage
from django.db import transaction

from clientela.core.backends.rollback import on_rollback

logger = logging.getLogger(__name__)


def _remover(storage: Storage, names: list[str], when: str) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # The database is right either way; a leftover file is only wasted space.
            logger.exception("could not remove %s after %s", name, when)


def remove_on_rollback(storage: Storage, *names: str) -> None:
    """Delete `names` from `storage` if the current transaction rolls back."""
    kept = [name for name in names if name]
    if kept:
        on_rollback(lambda: _remover(storage, kept, "rollback"))


def remove_on_commit(storage: Storage, *names: str) -> None:
    """Delete `names` from `storage` once the current transaction has committed."""
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: _remover(storage, kept, "commit"), robust=True)
