"""A migration that rebuilds a table on SQLite drops its triggers; every migrate puts the
search-index and status-count triggers back (so no later migration has to remember)."""

import pytest
from django.db import connection

from clientela.accounts.db_triggers import ensure_sqlite_count_triggers
from clientela.accounts.tests.factories import AccountFactory
from clientela.core.fts import ensure_sqlite_fts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's table rebuilds"),
]


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_lost_search_and_count_triggers_come_back_and_the_index_is_rebuilt():
    account = AccountFactory(name="Ferretería Zaratustra")
    with connection.cursor() as cursor:
        for name in ("accounts_account_fts_ai", "account_count_ai"):
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute("DELETE FROM accounts_accountstatuscount")
    assert "accounts_account_fts_ai" not in _triggers()
    assert "accounts_account" in ensure_sqlite_fts(connection)
    assert ensure_sqlite_count_triggers(connection)
    assert {"accounts_account_fts_ai", "account_count_ai"} <= _triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM accounts_account_fts WHERE accounts_account_fts MATCH %s",
            ['"zaratustra"'],
        )
        assert [row[0] for row in cursor.fetchall()] == [account.pk]
        cursor.execute("SELECT sum(n) FROM accounts_accountstatuscount")
        assert cursor.fetchone()[0] == 1
    assert ensure_sqlite_fts(connection) == []  # nothing lost: nothing done
    assert not ensure_sqlite_count_triggers(connection)
