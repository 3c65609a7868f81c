from typing import Any

from django.db.backends.postgresql import base, operations

from clientela.core.backends.rollback import RollbackHooksMixin


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        """`manage.py flush`, and the test runner between transactional tests, empty every
        table with TRUNCATE, which the history's trigger refuses (audit 0004). The flush
        runs in one transaction: user triggers are switched off for that transaction
        alone, which only a superuser may do; anyone else's flush is refused, as the
        history asks."""
        sql = super().sql_flush(style, tables, **kwargs)
        if not sql:
            return sql
        return ["SET LOCAL session_replication_role = replica", *sql]


class DatabaseWrapper(RollbackHooksMixin, base.DatabaseWrapper):
    ops_class = DatabaseOperations
