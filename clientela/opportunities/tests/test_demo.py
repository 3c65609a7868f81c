"""The demo seeder: realistic opportunities across stages, valid rows, no query per account."""

import random
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.core.demo import demo_seeders
from clientela.opportunities.demo import DEAL_NAMES, seed_opportunities
from clientela.opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts():
    sellers = [UserFactory(role="sales") for _n in range(3)]
    for n in range(60):
        AccountFactory(salesperson=sellers[n % 3])
    return Account.objects.all()


def test_the_seeder_is_registered():
    assert "opportunities" in [seeder.key for seeder in demo_seeders()]


def test_zero_to_four_per_account_across_every_stage(accounts):
    created = seed_opportunities(accounts, random.Random(1))
    assert created == Opportunity.objects.count() > 60
    per_account = Counter(Opportunity.objects.values_list("account_id", flat=True))
    assert max(per_account.values()) <= 4
    assert len(per_account) < accounts.count()  # some accounts have none
    assert set(Opportunity.objects.values_list("stage", flat=True)) == set(Opportunity.Stage.values)


def test_rows_are_valid_and_realistic(accounts):
    seed_opportunities(accounts, random.Random(2))
    now = timezone.now()
    today = timezone.localdate()
    for opportunity in Opportunity.objects.select_related("account"):
        opportunity.full_clean()
        assert opportunity.owner_id == opportunity.account.salesperson_id
        assert opportunity.created_by_id == opportunity.account.salesperson_id
        assert Decimal("500") <= opportunity.amount <= Decimal("250000")
        assert opportunity.amount == opportunity.amount.quantize(Decimal("0.01"))
        assert any(opportunity.name.startswith(name) for name in DEAL_NAMES)
        assert abs((opportunity.expected_close_date - today).days) <= 210
        assert opportunity.search_text == opportunity.build_search_text()
        if opportunity.is_closed:
            assert opportunity.closed_at < now
        if opportunity.stage == "lost":
            assert opportunity.lost_reason


def test_same_random_state_gives_the_same_opportunities(accounts):
    seed_opportunities(accounts, random.Random(3))
    first = list(Opportunity.objects.order_by("id").values_list("account_id", "name", "amount"))
    Opportunity.objects.all().delete()
    seed_opportunities(accounts, random.Random(3))
    again = list(Opportunity.objects.order_by("id").values_list("account_id", "name", "amount"))
    assert first == again


def test_no_query_per_account(accounts, django_assert_max_num_queries):
    # One read of the accounts and a few multi-row INSERTs (SQLite caps each at 999
    # parameters): far fewer queries than accounts.
    with django_assert_max_num_queries(12):
        seed_opportunities(accounts, random.Random(4))


def test_local_currency_deals_are_round_figures_of_a_realistic_size():
    seller = UserFactory(role="sales")
    for _n in range(40):
        AccountFactory(salesperson=seller, country="CO")
    seed_opportunities(Account.objects.filter(country="CO"), random.Random(4))
    pesos = list(Opportunity.objects.filter(currency="COP"))
    assert pesos
    for opportunity in pesos:
        opportunity.full_clean()
        # USD 500 to 250,000 at about 4,000 pesos a dollar, three significant digits.
        assert Decimal("2000000") <= opportunity.amount <= Decimal("1000000000")
        assert opportunity.amount == opportunity.amount.quantize(Decimal(1))
        assert len(str(int(opportunity.amount)).rstrip("0")) <= 3


def test_the_demo_quotes_in_local_currencies_with_their_exchange_rates(accounts):
    from clientela.catalogs.models import ExchangeRate
    from clientela.opportunities.demo import LOCAL_PER_USD

    ExchangeRate.objects.create(
        currency="MXN", rate=Decimal("0.05"), valid_from=timezone.localdate()
    )
    seed_opportunities(accounts, random.Random(5))
    rates = dict(ExchangeRate.objects.values_list("currency", "rate"))
    assert set(rates) == set(LOCAL_PER_USD)
    assert rates["MXN"] == Decimal("0.05")  # an administrator's rate is kept
    assert rates["COP"] == Decimal("0.00025")
