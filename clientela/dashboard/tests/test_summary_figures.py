"""Inicio's pipeline and forecast come from OpenPipelineSummary: the figures are those a
GROUP BY of the open opportunities gives (the code before the summary, kept here as the
reference), for each scope and filter."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, DecimalField, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, UserFactory
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
