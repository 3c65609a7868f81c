"""Inicio's figures are those the former queries gave (kept here as the reference): the
pipeline and the forecast from OpenPipelineSummary equal a GROUP BY of the open
opportunities for each scope and filter, and the periods counted by comparisons equal
TruncMonth/TruncWeek."""

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, DecimalField, F, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
from clientela.cases.models import Case
from clientela.cases.tests.factories import CaseFactory
from clientela.core.currencies import Converter
from clientela.dashboard.selectors import (
    FORECAST_MONTHS,
    DashboardFilters,
    Money,
    _money_by,
    _month_start,
    _opportunities,
    dashboard,
)
from clientela.opportunities.models import Opportunity
from clientela.opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
Stage = Opportunity.Stage
_WEIGHTED = Sum(
    F("amount") * F("probability"), output_field=DecimalField(max_digits=20, decimal_places=2)
)


def scanned(user, filters, today):
    """Pipeline by stage and forecast by month, counted from the opportunities."""
    convert, currency = Converter(filters.currency, today), filters.currency
    opportunities = _opportunities(user, filters)
    pipeline_rows = (
        opportunities.filter(stage__in=Opportunity.OPEN_STAGES)
        .values("stage", "currency")
        .annotate(n=Count("*"), total=Sum("amount"), weighted=_WEIGHTED)
    )
    by_stage = _money_by(pipeline_rows, "stage", convert, currency)
    first_month = _month_start(today)
    forecast_rows = (
        opportunities.filter(
            stage__in=Opportunity.OPEN_STAGES,
            expected_close_date__gte=first_month,
            expected_close_date__lt=_month_start(first_month, -FORECAST_MONTHS),
        )
        .annotate(month=TruncMonth("expected_close_date"))
        .values("month", "currency")
        .annotate(n=Count("*"), total=Sum("amount"), weighted=_WEIGHTED)
    )
    by_month = _money_by(forecast_rows, "month", convert, currency)
    pipeline = [(s, by_stage.get(s, Money(currency))) for s in Opportunity.OPEN_STAGES]
    months = [_month_start(first_month, -i) for i in range(FORECAST_MONTHS)]
    return pipeline, [(m, by_month.get(m, Money(currency))) for m in months]


def figures(board):
    return [(code, money) for code, _label, money in board.pipeline], board.forecast


@pytest.fixture
def people():
    ana, beto = UserFactory(role="sales"), UserFactory(role="sales")
    today = timezone.localdate()
    stages = [*Opportunity.OPEN_STAGES, Stage.WON, Stage.LOST]
    accounts = [AccountFactory(salesperson=(ana, beto)[i % 2]) for i in range(6)]
    for i in range(60):
        account = accounts[i % 6]
        stage = stages[i % len(stages)]
        OpportunityFactory(
            account=account,
            # Some deals of Ana's accounts are Beto's, and the other way round.
            owner=(ana, beto)[(i // 3) % 2],
            stage=stage,
            amount=Decimal(100 * i) + Decimal("0.37"),
            currency=("USD", "PAB", "XAF")[i % 3],
            probability=(7 * i) % 101,
            expected_close_date=None if i % 5 == 0 else today + timedelta(days=11 * i - 40),
            closed_at=timezone.now() if stage in Opportunity.CLOSED_STAGES else None,
            lost_reason="Precio" if stage == Stage.LOST else "",
        )
    return ana, beto


def test_pipeline_and_forecast_equal_a_count_of_the_opportunities(people):
    ana, beto = people
    manager = UserFactory(role="manager")
    today = timezone.localdate()
    cases = [
        (manager, DashboardFilters()),
        (manager, DashboardFilters(owner=beto)),
        (manager, DashboardFilters(currency="PAB")),
        (ana, DashboardFilters()),  # her accounts' deals, whoever owns them
        (ana, DashboardFilters(owner=beto)),
        (beto, DashboardFilters(owner=beto)),
        (UserFactory(role="sales"), DashboardFilters()),  # no accounts: nothing
    ]
    for user, filters in cases:
        pipeline, forecast = figures(dashboard(user, filters, today=today))
        assert (pipeline, forecast) == scanned(user, filters, today), (user.role, filters)
    pipeline, forecast = figures(dashboard(ana, DashboardFilters(), today=today))
    assert sum(m.count for _s, m in pipeline) > 0
    assert sum(m.count for _m, m in forecast) > 0


def test_a_reassigned_account_moves_its_figures_between_salespeople(people):
    ana, beto = people
    today = timezone.localdate()
    Account.objects.filter(salesperson=ana).update(salesperson=beto)
    assert dashboard(ana, DashboardFilters(), today=today).pipeline_total.count == 0
    for user in (ana, beto):
        pipeline, forecast = figures(dashboard(user, DashboardFilters(), today=today))
        assert (pipeline, forecast) == scanned(user, DashboardFilters(), today)


def test_an_inactive_user_sees_no_figures(people):
    ana, _beto = people
    ana.is_active = False
    ana.save()
    assert dashboard(ana, DashboardFilters(), today=timezone.localdate()).pipeline_total.count == 0


def _local(day, seconds=0):
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(seconds=seconds)


def test_closed_deals_and_cases_fall_in_the_same_months_and_weeks_as_truncation():
    """Periods are counted by comparisons with their local start (no TruncMonth or
    TruncWeek per row): rows on either side of each boundary land where they did."""
    account = AccountFactory()
    today = timezone.localdate()
    moments = []
    for back in range(8):
        start = _month_start(today, back)
        moments += [_local(start), _local(start, -1), _local(start, 86400 * 9 + 5)]
    week = today - timedelta(days=today.weekday())
    for back in range(9):
        start = week - timedelta(weeks=back)
        moments += [_local(start), _local(start, -1)]
    now = timezone.now()
    moments = [m for m in moments if m <= now]
    for i, moment in enumerate(moments):
        stage = (Stage.WON, Stage.LOST)[i % 2]
        OpportunityFactory(
            account=account,
            stage=stage,
            amount=Decimal(10 + i),
            probability=100 if stage == Stage.WON else 0,
            closed_at=moment,
            lost_reason="Precio" if stage == Stage.LOST else "",
        )
        CaseFactory(account=account, opened_at=moment)
    manager = UserFactory(role="manager")
    for period in ("month", "quarter", "year"):
        board = dashboard(manager, DashboardFilters(period=period), today=today)
        opportunities = _opportunities(manager, DashboardFilters())
        closed = Counter()
        for row in (
            opportunities.filter(
                closed_at__gte=_local(board.period.previous_start),
                closed_at__lt=_local(board.period.end),
            )
            .annotate(month=TruncMonth("closed_at"))
            .values("stage", "month")
            .annotate(n=Count("*"))
        ):
            month = row["month"].date() if isinstance(row["month"], datetime) else row["month"]
            closed[(row["stage"], month >= board.period.start)] += row["n"]
        assert (board.won.count, board.lost.count) == (closed["won", True], closed["lost", True])
        assert (board.won_previous.count, board.lost_previous.count) == (
            closed["won", False],
            closed["lost", False],
        )
    won = Counter()
    for row in (
        opportunities.filter(stage=Stage.WON)
        .annotate(month=TruncMonth("closed_at"))
        .values("month")
        .annotate(n=Count("*"))
    ):
        won[row["month"].date() if isinstance(row["month"], datetime) else row["month"]] += row["n"]
    assert [(m, money.count) for m, money in board.won_by_month] == [
        (m, won[m]) for m, _money in board.won_by_month
    ]
    opened = Counter()
    for row in (
        Case.objects.annotate(week=TruncWeek("opened_at")).values("week").annotate(n=Count("*"))
    ):
        opened[row["week"].date() if isinstance(row["week"], datetime) else row["week"]] += row["n"]
    assert [(w, n) for w, n, _r in board.cases_by_week] == [
        (w, opened[w]) for w, _n, _r in board.cases_by_week
    ]
    assert sum(n for _w, n, _r in board.cases_by_week) > 8


def test_average_cycle_counts_days_from_creation_to_close():
    account = AccountFactory()
    now = timezone.now()
    for days in (3, 10, 20):  # 11 days on average
        deal = OpportunityFactory(
            account=account, stage=Stage.WON, probability=100, closed_at=now - timedelta(hours=1)
        )
        Opportunity.objects.filter(pk=deal.pk).update(
            created_at=now - timedelta(days=days, hours=1)
        )
    board = dashboard(UserFactory(role="manager"), DashboardFilters(period="year"))
    assert board.cycle_days == 11
