"""A salesperson's full-text search of records scoped through their account (issue 18's
search of everything at a million accounts): the same rows as any scoped read, and on
SQLite a plan that starts from the search's matches, not from the salesperson's
accounts (which probed the match list once per account: minutes for a common word)."""

import pytest
from django.db import connection

from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.cases.selectors import CaseFilters, case_queue
from clientela.cases.tests.factories import CaseFactory
from clientela.documents.selectors import document_search
from clientela.documents.tests.factories import DocumentFactory
from clientela.opportunities.selectors import OpportunityFilters, opportunity_list
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sellers():
    mine, theirs = UserFactory(role="sales"), UserFactory(role="sales")
    own, other = AccountFactory(salesperson=mine), AccountFactory(salesperson=theirs)
    for account in (own, other):
        OpportunityFactory(account=account, name=f"Suministro comercial {account.code}")
        CaseFactory(account=account, subject=f"Reclamo comercial {account.code}")
        DocumentFactory(account=account, original_name=f"contrato comercial {account.code}.pdf")
    return mine, own, other


def test_a_salespersons_search_finds_only_their_accounts_records(two_sellers):
    seller, own, _other = two_sellers
    found = {
        "opportunities": opportunity_list(user=seller, filters=OpportunityFilters(q="comercial")),
        "cases": case_queue(user=seller, filters=CaseFilters(q="comercial", status="all")),
        "documents": document_search(seller, "comercial"),
    }
    for name, rows in found.items():
        assert {row.account_id for row in rows} == {own.pk}, name


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, no statistics")
def test_on_sqlite_a_salespersons_search_starts_from_the_matches(two_sellers):
    seller, _own, _other = two_sellers
    rows = opportunity_list(user=seller, filters=OpportunityFilters(q="comercial"))
    sql, params = rows.order_by().values_list("pk").query.sql_with_params()
    assert "likelihood(" in sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        first = cursor.fetchall()[0][3]
    assert "accounts_account" not in first, first
