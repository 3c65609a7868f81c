"""The search index stays in step with search_text, and searches use it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory
from clientela.contacts.models import Contact
from clientela.contacts.tests.factories import ContactFactory
from clientela.core.fts import apply_search

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only"
)


def fts_ids(table: str, phrase: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [f'"{phrase}"'])  # noqa: S608 - our table names
        return {row[0] for row in cursor.fetchall()}


def found(queryset, query):
    return set(apply_search(queryset, query).values_list("pk", flat=True))


@sqlite_only
def test_fts_row_follows_an_account_insert_update_and_delete():
    account = AccountFactory(name="Ferretería Quetzal")
    assert fts_ids("accounts_account", "quetzal") == {account.pk}
    account.name = "Ferretería Cóndor"
    account.save()
    assert fts_ids("accounts_account", "quetzal") == set()
    assert fts_ids("accounts_account", "condor") == {account.pk}
    Account.objects.filter(pk=account.pk).delete()
    assert fts_ids("accounts_account", "condor") == set()


@sqlite_only
def test_fts_row_follows_a_contact_insert_update_and_delete():
    contact = ContactFactory(first_name="Begoña", last_name="Ñáñez")
    assert fts_ids("contacts_contact", "nanez") == {contact.pk}
    contact.last_name = "Ibáñez"
    contact.save()
    assert fts_ids("contacts_contact", "nanez") == set()
    assert fts_ids("contacts_contact", "ibanez") == {contact.pk}
    Contact.objects.filter(pk=contact.pk).delete()
    assert fts_ids("contacts_contact", "ibanez") == set()


@sqlite_only
def test_words_of_three_letters_or_more_are_matched_in_the_fts_table():
    AccountFactory(name="Comercial del Istmo")
    with CaptureQueriesContext(connection) as captured:
        assert len(found(Account.objects.all(), "comercial istmo")) == 1
    sql = captured.captured_queries[-1]["sql"]
    assert "accounts_account_fts MATCH" in sql
    assert "LIKE" not in sql


def test_short_words_fall_back_to_like_and_still_narrow():
    match = AccountFactory(name="Distribuidora JR del Sur")
    AccountFactory(name="Distribuidora del Norte")
    assert found(Account.objects.all(), "distribuidora jr") == {match.pk}
    assert found(Account.objects.all(), "jr") == {match.pk}


def test_separators_in_digits_find_the_stored_digits():
    account = AccountFactory(phone="+50761234567")
    assert found(Account.objects.all(), "6123-4567") == {account.pk}
    assert found(Account.objects.all(), "6123 45") == {account.pk}


def test_zero_match_finds_nothing_and_quotes_are_harmless():
    AccountFactory(name="Comercial")
    assert found(Account.objects.all(), "zzqxwv") == set()
    assert found(Account.objects.all(), '"com"ercial"') == set()
