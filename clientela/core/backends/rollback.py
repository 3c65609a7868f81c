"""`on_rollback`: the counterpart of Django's `transaction.on_commit`.

A file is written to storage before the row that names it is committed. If the
transaction — ours or any outer one (an import, a merge) — rolls back, the row never
existed and the file must go. Django runs hooks on commit only, so the engines in this
package keep a second list, with the same savepoint bookkeeping as `run_on_commit`:
a hook registered inside a savepoint runs when that savepoint is rolled back, or when
the whole transaction is; a commit forgets it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

Hook = Callable[[], None]


class RollbackHooksMixin:
    """Mixed into an engine's DatabaseWrapper (before it in the bases)."""

    run_on_rollback: list[tuple[set[str], Hook]]
    # Provided by Django's BaseDatabaseWrapper.
    in_atomic_block: bool
    savepoint_ids: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_on_rollback = []

    def on_rollback(self, func: Hook) -> None:
        if self.in_atomic_block:
            self.run_on_rollback.append(({sid for sid in self.savepoint_ids if sid}, func))
        # Outside a transaction every statement is already committed: nothing to undo.

    def _run_rollback_hooks(self, hooks: list[tuple[set[str], Hook]]) -> None:
        for _sids, func in hooks:
            try:
                func()
            except Exception:
                # The rollback itself succeeded; a hook that fails must not hide why it
                # happened. The log says what was left behind.
                logger.exception("on_rollback hook %r failed", func)

    def connect(self) -> None:
        self.run_on_rollback = []
        super().connect()  # type: ignore[misc]

    def commit(self) -> None:
        super().commit()  # type: ignore[misc]
        self.run_on_rollback = []

    def rollback(self) -> None:
        hooks, self.run_on_rollback = self.run_on_rollback, []
        try:
            super().rollback()  # type: ignore[misc]
        finally:
            self._run_rollback_hooks(hooks)

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)  # type: ignore[misc]
        hooks = [hook for hook in self.run_on_rollback if sid in hook[0]]
        self.run_on_rollback = [hook for hook in self.run_on_rollback if sid not in hook[0]]
        self._run_rollback_hooks(hooks)

    def close(self) -> None:
        # Closed inside a transaction (a lost connection): the server rolls it back.
        hooks, in_transaction = self.run_on_rollback, self.in_atomic_block
        self.run_on_rollback = []
        try:
            super().close()  # type: ignore[misc]
        finally:
            if in_transaction:
                self._run_rollback_hooks(hooks)


def on_rollback(func: Hook, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run `func` if the current transaction (or the savepoint it is in) rolls back."""
    connection = connections[using]
    register = getattr(connection, "on_rollback", None)
    if register is None:
        raise RuntimeError(
            f"database {using!r} uses {connection.settings_dict['ENGINE']}: "
            "use an engine from clientela.core.backends"
        )
    register(func)
