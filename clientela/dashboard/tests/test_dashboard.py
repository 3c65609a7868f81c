from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory
from clientela.dashboard.selectors import DashboardFilters, dashboard, period_of
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
Stage = Opportunity.Stage


def _won(account, amount, closed_at, stage=Stage.WON, currency="USD"):
    return OpportunityFactory(
        account=account,
        stage=stage,
        amount=Decimal(amount),
        currency=currency,
        probability=100 if stage == Stage.WON else 0,
        closed_at=closed_at,
        lost_reason="Precio" if stage == Stage.LOST else "",
    )


def test_periods():
    assert period_of("month", date(2026, 12, 3)).start == date(2026, 12, 1)
    assert period_of("month", date(2026, 1, 3)).previous_start == date(2025, 12, 1)
    quarter = period_of("quarter", date(2026, 11, 30))
    assert (quarter.start, quarter.end, quarter.previous_start) == (
        date(2026, 10, 1),
        date(2027, 1, 1),
        date(2026, 7, 1),
    )
    assert period_of("year", date(2026, 5, 5)).last_day == date(2026, 12, 31)


def test_accounts_by_status_add_up_with_every_status():
    for status in ("active", "active", "inactive", "restricted", "suspended"):
        AccountFactory(status=status)
    board = dashboard(UserFactory(role="manager"), DashboardFilters())
    counts = {code: n for code, _label, n in board.statuses}
    assert counts == {"active": 2, "inactive": 1, "restricted": 1, "suspended": 1}
    assert board.accounts_total == 5 == Account.objects.count()


def test_pipeline_won_lost_and_rates():
    manager = UserFactory(role="manager")
    account = AccountFactory()
    OpportunityFactory(
        account=account, stage=Stage.PROPOSAL, amount=Decimal("1000"), probability=50
    )
    OpportunityFactory(account=account, stage=Stage.PROPOSAL, amount=Decimal("500"), probability=20)
    now = timezone.now()
    won = _won(account, "300", now)
    Opportunity.objects.filter(pk=won.pk).update(created_at=now - timedelta(days=10))
    _won(account, "200", now, stage=Stage.LOST)
    _won(account, "700", now - timedelta(days=70))
    board = dashboard(manager, DashboardFilters(period="month"))
    proposal = {code: money for code, _l, money in board.pipeline}["proposal"]
    assert (proposal.count, proposal.amount, proposal.weighted) == (
        2,
        Decimal("1500.00"),
        Decimal("600.00"),
    )
    assert board.pipeline_total.amount == Decimal("1500.00")
    assert (board.won.count, board.won.amount) == (1, Decimal("300.00"))
    assert board.lost.count == 1
    assert board.win_rate == 50
    assert board.cycle_days == 10
    assert sum(m.count for _m, m in board.won_by_month) >= 1
    assert board.ranking[0][1].amount == Decimal("300.00")


def test_a_deal_entered_after_it_was_closed_has_no_cycle():
    account = AccountFactory()
    # Entered now, closed yesterday (history brought in): no negative cycle.
    _won(account, "300", timezone.now() - timedelta(days=1))
    board = dashboard(UserFactory(role="manager"), DashboardFilters(period="month"))
    assert board.cycle_days is None


def test_amounts_in_one_currency_name_the_unconverted():
    account = AccountFactory()
    OpportunityFactory(account=account, amount=Decimal("10"), currency="PAB", probability=10)
    OpportunityFactory(account=account, amount=Decimal("10"), currency="XAF", probability=10)
    board = dashboard(UserFactory(role="manager"), DashboardFilters(currency="USD"))
    assert board.pipeline_total.count == 2
    assert board.pipeline_total.amount == Decimal("10.00")  # PAB at par; XAF has no rate
    assert board.unconverted == ["XAF"]


def test_salesperson_sees_only_their_figures():
    seller = UserFactory(role="sales")
    mine = AccountFactory(salesperson=seller)
    theirs = AccountFactory(salesperson=UserFactory(role="sales"))
    OpportunityFactory(account=mine, amount=Decimal("100"))
    OpportunityFactory(account=theirs, amount=Decimal("900"))
    CaseFactory(account=theirs)
    board = dashboard(seller, DashboardFilters())
    assert board.accounts_total == 1
    assert board.pipeline_total.amount == Decimal("100.00")
    assert board.cases_open == 0


def test_manager_filters_by_salesperson():
    seller = UserFactory(role="sales", first_name="Rosa", last_name="Caicedo")
    OpportunityFactory(account=AccountFactory(salesperson=seller), amount=Decimal("100"))
    OpportunityFactory(account=AccountFactory(), amount=Decimal("900"))
    board = dashboard(UserFactory(role="manager"), DashboardFilters(owner=seller))
    assert board.pipeline_total.amount == Decimal("100.00")
    assert board.accounts_total == 1


def test_cases_per_week_and_overdue():
    account = AccountFactory()
    CaseFactory(
        account=account,
        opened_at=timezone.now() - timedelta(days=30),
        due_at=timezone.now() - timedelta(days=1),
    )
    CaseFactory(account=account)
    board = dashboard(UserFactory(role="manager"), DashboardFilters())
    assert sum(opened for _w, opened, _r in board.cases_by_week) == 2
    assert board.cases_overdue == 1
    assert board.cases_open == 2


def test_home_page_links_figures_to_their_lists(client):
    seller = UserFactory(username="rosa", role="sales", first_name="Rosa", last_name="Caicedo")
    account = AccountFactory(salesperson=seller)
    _won(account, "300", timezone.now())
    client.force_login(UserFactory(role="manager"))
    response = client.get(reverse("home"), {"owner": "rosa caicedo", "period": "quarter"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "/accounts/?status=all&amp;salesperson=rosa" in body
    assert "/opportunities/?stage=proposal&amp;owner=rosa" in body
    assert "closed_from=" in body
    assert "<svg" in body and "<table" in body


def test_home_page_queries_are_few(client, django_assert_max_num_queries):
    account = AccountFactory()
    for n in range(5):
        OpportunityFactory(account=account, amount=Decimal(100 + n))
        _won(account, "10", timezone.now())
        CaseFactory(account=account)
    client.force_login(UserFactory(role="manager"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["admin", "manager", "sales", "support", "viewer"])
def test_home_page_answers_every_role(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("home")).status_code == 200
