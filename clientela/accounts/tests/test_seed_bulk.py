"""seed_demo's bulk path at a small size: what a million-account run relies on."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Sum

from clientela.accounts.management.commands import seed_demo
from clientela.accounts.models import Account, AccountStatusCount
from clientela.accounts.taxid import validate_tax_id
from clientela.cases.models import PRIORITY_RANK, Case
from clientela.contacts.models import Contact
from clientela.core.bulk import bulk_insert, bulk_load
from clientela.core.fts import apply_search
from clientela.core.models import Sequence
from clientela.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = 300


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {
            name
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"]
        }


@pytest.fixture
def seeded(monkeypatch):
    # Below the real threshold, so the test takes the million-row path: indexes dropped
    # and built again, FTS rows filled in one statement, statistics refreshed.
    monkeypatch.setattr(seed_demo, "LARGE_LOAD", 100)
    before = {t: index_names(t) for t in ("accounts_account", "contacts_contact")}
    call_command(
        "seed_demo",
        accounts=ACCOUNTS,
        seed=3,
        contacts_per_account=3,
        opportunities_per_account=0.5,
        cases_per_account=0.2,
        documents_per_account=0,
        stdout=StringIO(),
    )
    return before


def test_seeding_makes_the_asked_mix_of_records(seeded):
    assert Account.objects.count() == ACCOUNTS
    assert 2.5 * ACCOUNTS <= Contact.objects.count() <= 3.5 * ACCOUNTS
    assert 0.3 * ACCOUNTS <= Opportunity.objects.count() <= 0.7 * ACCOUNTS
    assert 0.1 * ACCOUNTS <= Case.objects.count() <= 0.3 * ACCOUNTS


def test_seeded_rows_carry_consistent_derived_columns(seeded):
    for account in Account.objects.select_related("customer_type", "salesperson")[:100]:
        assert account.search_text == account.build_search_text()
        assert account.customer_type_name == account.customer_type.name
        assert account.salesperson_name == (
            account.salesperson.get_full_name() or account.salesperson.username
        )
        result = validate_tax_id(str(account.country), account.tax_id, account.tax_dv)
        assert (result.number, result.dv) == (account.tax_id, account.tax_dv)
    for contact in Contact.objects.select_related("account")[:100]:
        assert contact.account_name == contact.account.name
    for case in Case.objects.all()[:50]:
        assert case.priority_rank == PRIORITY_RANK[case.priority]


def test_seeding_keeps_indexes_counts_and_search_in_step(seeded):
    for table, names in seeded.items():
        assert index_names(table) == names, table
    actual = Counter(Account.objects.values_list("status", flat=True))
    kept = {
        row["status"]: row["total"]
        for row in AccountStatusCount.objects.values("status").annotate(total=Sum("n")).order_by()
    }
    assert {k: v for k, v in kept.items() if v} == dict(actual)
    account = Account.objects.order_by("id").last()
    word = account.name.split()[0]
    assert account in apply_search(Account.objects.all(), word)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM accounts_account_fts_docsize")
            assert cursor.fetchone()[0] == ACCOUNTS
            cursor.execute("SELECT count(*) FROM contacts_contact_fts_docsize")
            assert cursor.fetchone()[0] == Contact.objects.count()


def test_sequences_continue_after_the_seeded_codes(seeded):
    assert Sequence.objects.get(name="account").last_value == ACCOUNTS
    last_case = Case.objects.order_by("-number").values_list("number", flat=True).first()
    assert last_case == f"K-{Sequence.objects.get(name='case').last_value:06d}"


def test_bulk_insert_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        bulk_insert(Account, [])
    with pytest.raises(RuntimeError), bulk_load(Account):
        pass


def test_bulk_load_puts_everything_back_when_the_load_fails():
    before = index_names("accounts_account")
    with pytest.raises(ZeroDivisionError), transaction.atomic(), bulk_load(Account):
        assert index_names("accounts_account") < before
        raise ZeroDivisionError
    assert index_names("accounts_account") == before
