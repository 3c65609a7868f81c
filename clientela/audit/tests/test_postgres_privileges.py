"""History on PostgreSQL (issue 14 item 9): TRUNCATE is refused by a trigger, and the
app can run as a second role that may only add to and read the history, so it can
neither change, delete, truncate it nor switch its triggers off. Skipped on SQLite."""

import io
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.audit.models import HistoryEntry

from .test_history import create_account

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="TRUNCATE and roles are PostgreSQL's"
    ),
]

TABLE = HistoryEntry._meta.db_table


def refused(sql: str) -> str:
    """Run `sql` in a savepoint; the database's refusal as text (it must refuse)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute(sql)
    return str(caught.value)


@pytest.fixture
def app_role(db) -> Iterator[str]:
    """A role like production's app role (no superuser, owns nothing), with the
    privileges `manage.py grant_app_role` gives. Created in the test's transaction:
    it disappears with it."""
    role = f"clientela_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOINHERIT")
    call_command("grant_app_role", role, stdout=io.StringIO())
    yield role


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_truncate_of_the_history_is_refused_even_for_its_owner():
    create_account(UserFactory())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as if committed
    assert "append-only" in refused(f"TRUNCATE {TABLE}")
    assert "append-only" in refused(f"TRUNCATE {TABLE} CASCADE")
    assert HistoryEntry.objects.exists()


def test_the_app_role_works_and_adds_history(app_role):
    user = UserFactory()
    with acting_as(app_role):
        account = create_account(user)
        account.name = "Otro nombre"
        account.save(update_fields=["name"])
        assert Account.objects.filter(pk=account.pk).exists()
        assert HistoryEntry.objects.filter(object_id=str(account.pk)).count() == 1


def test_the_app_role_may_not_change_delete_or_truncate_the_history(app_role):
    create_account(UserFactory())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with acting_as(app_role):
        for sql in (
            f"UPDATE {TABLE} SET object_repr = 'borrado'",  # noqa: S608 - our table name
            f"DELETE FROM {TABLE}",  # noqa: S608 - our table name
            f"TRUNCATE {TABLE}",
            f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_history_no_truncate",
            f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
            f"DROP TRIGGER audit_history_append_only ON {TABLE}",
            "SET session_replication_role = replica",
        ):
            message = refused(sql)
            assert "permission denied" in message or "must be owner" in message, (sql, message)
    assert HistoryEntry.objects.exists()


def test_the_app_role_may_not_truncate_other_tables_either(app_role):
    AccountFactory()
    with acting_as(app_role):
        assert "permission denied" in refused("TRUNCATE accounts_account CASCADE")


def test_grant_statements_are_idempotent(app_role):
    call_command("grant_app_role", app_role, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = %s ORDER BY 1",
            [app_role, TABLE],
        )
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_history():
    """`manage.py flush` and the test runner (between transactional tests) truncate every
    table: as a superuser, with the triggers off for the flush's own transaction."""
    create_account(UserFactory())
    call_command("flush", interactive=False, verbosity=0)
    assert not HistoryEntry.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"  # only for the flush's transaction
