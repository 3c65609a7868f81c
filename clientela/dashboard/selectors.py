"""The figures of Inicio (issue 18): each a GROUP BY in the database over what the
user may see (the modules' own gates), a handful of queries whatever the size.

Amounts are added up in one currency (the filter's, the company's by default) with
`core.currencies.Converter`; currencies without an exchange rate are named, never
dropped silently. Accounts by status read the counts the database keeps
(AccountStatusCount), the pipeline and the forecast the open deals it adds up
(OpenPipelineSummary), not the accounts and the opportunities; the other figures are
bounded by dates and read an index range."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from clientela.accounts.models import Account, AccountStatusCount
from clientela.accounts.selectors import account_visible_to
from clientela.cases.models import OPEN_STATUSES
from clientela.cases.selectors import case_visible_to
from clientela.core.access import is_owner_scoped
from clientela.core.currencies import Converter
from clientela.opportunities.models import OpenPipelineSummary, Opportunity
from clientela.opportunities.selectors import opportunity_visible_to
from clientela.users.models import User

PERIODS = ("month", "quarter", "year")
FORECAST_MONTHS = 6
WON_MONTHS = 6
CASE_WEEKS = 8


@dataclass(frozen=True)
class DashboardFilters:
    period: str = "month"
    owner: User | None = None  # the salesperson whose figures these are; None = everyone
    currency: str = "USD"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive
    previous_start: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def previous_last_day(self) -> date:
        return self.start - timedelta(days=1)


def _month_start(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, today: date) -> Period:
    """This month, quarter or year (to its end) and the one before."""
    months = {"month": 1, "quarter": 3, "year": 12}.get(kind, 1)
    first_month = (today.month - 1) // months * months + 1
    start = date(today.year, first_month, 1)
    end = _month_start(start, -months)
    return Period(start, end, _month_start(start, months))


def _aware(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _bucket(column: str, bounds: list[date]) -> Case:
    """Which of the periods [bounds[i], bounds[i + 1]) the row's `column` (a moment) falls
    in, as i: the rows are filtered to [bounds[0], bounds[-1]). Plain comparisons,
    where TruncMonth/TruncWeek in the user's time zone cost SQLite a call into Python per
    row (two thirds of the page's time at 20,000 accounts)."""
    whens = [
        When(**{f"{column}__lt": _aware(end)}, then=Value(index))
        for index, end in enumerate(bounds[1:])
    ]
    return Case(*whens, output_field=IntegerField())


@dataclass
class Money:
    """Amounts in several currencies added up in one, with what could not be converted."""

    currency: str
    amount: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")
    count: int = 0
    unconverted: set[str] = field(default_factory=set)

    def add(self, convert: Converter, row: dict[str, Any]) -> None:
        self.count += int(row["n"])
        rate = convert(Decimal(1), row["currency"])
        if rate is None:
            self.unconverted.add(row["currency"])
            return
        self.amount += (row.get("total") or Decimal(0)) * rate
        weighted = (row.get("weighted") or Decimal(0)) / 100
        self.weighted += weighted * rate

    def cents(self) -> "Money":
        self.amount = self.amount.quantize(Decimal("0.01"))
        self.weighted = self.weighted.quantize(Decimal("0.01"))
        return self


@dataclass
class Dashboard:
    filters: DashboardFilters
    period: Period
    statuses: list[tuple[str, str, int]]  # (code, label, count)
    accounts_total: int
    pipeline: list[tuple[str, str, Money]]  # open stages: (code, label, money)
    pipeline_total: Money
    won: Money
    won_previous: Money
    lost: Money
    lost_previous: Money
    win_rate: int | None  # percent of the period's closed deals that were won
    cycle_days: int | None  # average days from creation to won, this period
    forecast: list[tuple[date, Money]]
    won_by_month: list[tuple[date, Money]]
    ranking: list[tuple[User, Money]]
    cases_by_week: list[tuple[date, int, int]]  # (week start, opened, resolved)
    cases_overdue: int
    cases_open: int
    unconverted: list[str]


def _opportunities(user: User, filters: DashboardFilters) -> QuerySet[Opportunity]:
    opportunities = opportunity_visible_to(user).order_by()
    if filters.owner is not None:
        opportunities = opportunities.filter(owner=filters.owner)
    return opportunities


def _status_counts(user: User, filters: DashboardFilters) -> dict[str, int]:
    if account_visible_to(user).query.is_empty():
        return {}
    rows = AccountStatusCount.objects.all()
    if is_owner_scoped(user):
        rows = rows.filter(salesperson=user)
    if filters.owner is not None:
        rows = rows.filter(salesperson=filters.owner)
    totals = rows.values("status").annotate(total=Sum("n")).order_by()
    return {row["status"]: int(row["total"] or 0) for row in totals}


def _open_pipeline(user: User, filters: DashboardFilters) -> QuerySet[OpenPipelineSummary]:
    """The summary's rows of the open deals `_opportunities` would find: a salesperson's
    scope is their accounts' deals, the filter the deals' owner."""
    if opportunity_visible_to(user).query.is_empty():
        return OpenPipelineSummary.objects.none()
    rows = OpenPipelineSummary.objects.order_by()
    if is_owner_scoped(user):
        rows = rows.filter(salesperson=user)
    if filters.owner is not None:
        rows = rows.filter(owner=filters.owner)
    return rows


def _summed(rows: QuerySet[OpenPipelineSummary], *keys: str) -> list[dict[str, Any]]:
    """Rows as the opportunities' GROUP BY gave them: n, total and weighted (the sum of
    amount times probability) in the currency's units."""
    grouped = rows.values(*keys, "currency").annotate(
        count=Sum("n"), cents=Sum("amount_cents"), weighted_cents=Sum("weighted_cents")
    )
    return [
        {
            **{key: row[key] for key in keys},
            "currency": row["currency"],
            "n": row["count"],
            "total": Decimal(row["cents"]).scaleb(-2),
            "weighted": Decimal(row["weighted_cents"]).scaleb(-2),
        }
        for row in grouped
    ]


def _money_by(
    rows: Iterable[dict[str, Any]], key: str, convert: Converter, currency: str
) -> dict[Any, Money]:
    found: dict[Any, Money] = {}
    for row in rows:
        found.setdefault(row[key], Money(currency)).add(convert, row)
    return {k: v.cents() for k, v in found.items()}


def dashboard(user: User, filters: DashboardFilters, *, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    period = period_of(filters.period, today)
    convert = Converter(filters.currency, today)
    currency = filters.currency

    counts = _status_counts(user, filters)
    statuses = [(code, str(label), counts.get(code, 0)) for code, label in Account.Status.choices]

    opportunities = _opportunities(user, filters)
    open_pipeline = _open_pipeline(user, filters)
    by_stage = _money_by(_summed(open_pipeline, "stage"), "stage", convert, currency)
    labels = dict(Opportunity.Stage.choices)
    pipeline = [
        (str(stage), str(labels[stage]), by_stage.get(stage, Money(currency)))
        for stage in Opportunity.OPEN_STAGES
    ]
    pipeline_total = Money(currency)
    for _stage, _label, money in pipeline:
        pipeline_total.amount += money.amount
        pipeline_total.weighted += money.weighted
        pipeline_total.count += money.count
        pipeline_total.unconverted |= money.unconverted

    # Won and lost this period and the one before, in one query on the closed index.
    closed_rows = (
        opportunities.filter(
            stage__in=Opportunity.CLOSED_STAGES,
            closed_at__gte=_aware(period.previous_start),
            closed_at__lt=_aware(period.end),
        )
        .annotate(current=_bucket("closed_at", [period.previous_start, period.start, period.end]))
        .values("stage", "currency", "current")
        .annotate(n=Count("*"), total=Sum("amount"))
    )
    closed: dict[tuple[str, bool], Money] = {}
    for row in closed_rows:
        closed.setdefault((row["stage"], row["current"] == 1), Money(currency)).add(convert, row)
    won = closed.get(("won", True), Money(currency)).cents()
    lost = closed.get(("lost", True), Money(currency)).cents()
    won_previous = closed.get(("won", False), Money(currency)).cents()
    lost_previous = closed.get(("lost", False), Money(currency)).cents()
    decided = won.count + lost.count
    win_rate = round(100 * won.count / decided) if decided else None

    cycle_days = _average_cycle(
        opportunities.filter(
            stage=Opportunity.Stage.WON,
            closed_at__gte=_aware(period.start),
            closed_at__lt=_aware(period.end),
        )
        # A deal entered after it was closed (demo data, history brought in) has no cycle
        # to measure: it would pull the average below zero.
        .filter(closed_at__gte=F("created_at"))
    )

    first_month = _month_start(today)
    forecast_rows = open_pipeline.filter(
        close_month__gte=first_month,
        close_month__lt=_month_start(first_month, -FORECAST_MONTHS),
    )
    by_month = _money_by(_summed(forecast_rows, "close_month"), "close_month", convert, currency)
    months = [_month_start(first_month, -i) for i in range(FORECAST_MONTHS)]
    forecast = [(m, by_month.get(m, Money(currency))) for m in months]

    won_months = [_month_start(today, WON_MONTHS - 1 - i) for i in range(WON_MONTHS)]
    month_ends = [*won_months, _month_start(today, -1)]
    won_rows = (
        opportunities.filter(
            stage=Opportunity.Stage.WON,
            closed_at__gte=_aware(month_ends[0]),
            closed_at__lt=_aware(month_ends[-1]),
        )
        .annotate(month=_bucket("closed_at", month_ends))
        .values("month", "currency")
        .annotate(n=Count("*"), total=Sum("amount"))
    )
    won_by_index = _money_by(won_rows, "month", convert, currency)
    won_by_month = [(m, won_by_index.get(i, Money(currency))) for i, m in enumerate(won_months)]

    ranking_rows = (
        opportunities.filter(
            stage=Opportunity.Stage.WON,
            closed_at__gte=_aware(period.start),
            closed_at__lt=_aware(period.end),
        )
        .values("owner", "currency")
        .annotate(n=Count("*"), total=Sum("amount"))
    )
    by_owner = _money_by(ranking_rows, "owner", convert, currency)
    owners = User.objects.in_bulk([pk for pk in by_owner if pk is not None])
    ranking = sorted(
        ((owners[pk], money) for pk, money in by_owner.items() if pk in owners),
        key=lambda item: (-item[1].amount, -item[1].count, item[0].username),
    )

    cases_by_week, cases_overdue, cases_open = _cases(user, filters, today)

    unconverted = set(pipeline_total.unconverted)
    for money in (won, lost, won_previous, lost_previous):
        unconverted |= money.unconverted
    for _m, money in forecast + won_by_month:
        unconverted |= money.unconverted
    for _u, money in ranking:
        unconverted |= money.unconverted

    return Dashboard(
        filters=filters,
        period=period,
        statuses=statuses,
        accounts_total=sum(count for _c, _l, count in statuses),
        pipeline=pipeline,
        pipeline_total=pipeline_total.cents(),
        won=won,
        won_previous=won_previous,
        lost=lost,
        lost_previous=lost_previous,
        win_rate=win_rate,
        cycle_days=cycle_days,
        forecast=forecast,
        won_by_month=won_by_month,
        ranking=ranking,
        cases_by_week=cases_by_week,
        cases_overdue=cases_overdue,
        cases_open=cases_open,
        unconverted=sorted(unconverted),
    )


def _average_cycle(won: QuerySet[Opportunity]) -> int | None:
    """Average days from creation to close. On SQLite a difference of two datetimes is
    a call into Python per row; julianday() is SQLite's own."""
    if connection.vendor == "sqlite":
        days = _julianday("closed_at") - _julianday("created_at")
        value = won.aggregate(avg=Avg(days, output_field=FloatField()))["avg"]
        return None if value is None else round(value)
    cycle = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    average = won.aggregate(avg=Avg(cycle))["avg"]
    return None if average is None else round(average.total_seconds() / 86400)


def _julianday(column: str) -> Func:
    return Func(F(column), function="julianday", output_field=FloatField())


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _cases(
    user: User, filters: DashboardFilters, today: date
) -> tuple[list[tuple[date, int, int]], int, int]:
    cases = case_visible_to(user).order_by()
    if filters.owner is not None:
        cases = cases.filter(account__salesperson=filters.owner)
    first_week = _week_start(today) - timedelta(weeks=CASE_WEEKS - 1)
    weeks = [first_week + timedelta(weeks=i) for i in range(CASE_WEEKS)]
    bounds = [*weeks, first_week + timedelta(weeks=CASE_WEEKS)]

    def weekly(column: str) -> dict[int, int]:
        rows = (
            cases.filter(
                **{f"{column}__gte": _aware(bounds[0]), f"{column}__lt": _aware(bounds[-1])}
            )
            .annotate(week=_bucket(column, bounds))
            .values("week")
            .annotate(n=Count("*"))
        )
        return {row["week"]: row["n"] for row in rows}

    opened = weekly("opened_at")
    resolved = weekly("resolved_at")
    by_week = [(w, opened.get(i, 0), resolved.get(i, 0)) for i, w in enumerate(weeks)]
    counts = cases.filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("*"), overdue=Count("pk", filter=Q(due_at__lt=timezone.now()))
    )
    return by_week, counts["overdue"], counts["open"]


def owner_named(text: str) -> User | None:
    """The salesperson a filter names: a username, else the one user whose name holds
    every word typed (so "maria" finds María Núñez)."""
    text = text.strip()
    if not text:
        return None
    exact = User.objects.filter(username__iexact=text).first()
    if exact is not None:
        return exact
    users = User.objects.all()
    for word in text.split()[:4]:
        users = users.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    found = list(users[:2])
    return found[0] if len(found) == 1 else None
