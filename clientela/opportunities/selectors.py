"""Reads of opportunities. `opportunity_visible_to` is the gate every list, board, page,
search and total goes through: an opportunity is visible with its account
(see clientela.core.access)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OrderBy,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import QueryDict
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.core.access import VIEW, get_for_user, scope_to_user
from clientela.core.currencies import Converter, company_currency
from clientela.core.fts import apply_search
from clientela.core.paging import COUNT_CAP, ListPage, Ordering, paginate, paginate_phases
from clientela.users.models import User

from .models import Opportunity

Stage = Opportunity.Stage

# Sort keys offered to users: the only orderings that can reach the database.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "account": ("account__name",),
    "stage": ("stage_order",),
    "amount": ("amount",),
    "probability": ("probability",),
    "expected_close_date": ("expected_close_date",),
    "owner": ("owner__username",),
    "closed_at": ("closed_at",),
    "updated_at": ("updated_at",),
}
DEFAULT_SORT = "expected_close_date"

# Sum(amount * probability) is divided by 100 after the query: SQLite would divide
# integers, and each group is one row, not one per opportunity.
_WEIGHTED = Sum(
    F("amount") * F("probability"), output_field=DecimalField(max_digits=20, decimal_places=2)
)


@dataclass(frozen=True)
class OpportunityFilters:
    q: str = ""
    stage: str = ""
    state: str = ""  # "" every opportunity, "open" or "closed"
    owner: str = ""  # username
    account: str = ""  # account code
    close_from: date | None = None
    close_to: date | None = None
    # Closed (won or lost) between these days, both included: the dashboard's links.
    closed_from: date | None = None
    closed_to: date | None = None
    sort: str = DEFAULT_SORT


def opportunity_visible_to(user: User, *, searching: bool = False) -> QuerySet[Opportunity]:
    """Every opportunity the user may see: those of the accounts they may see."""
    return scope_to_user(user, Opportunity.objects.all(), searching=searching)


def opportunity_get_for_user(user: User, pk: int, *, action: str = VIEW) -> Opportunity:
    """The opportunity: 404 if the user may not see it, 403 if they may not do `action`."""
    visible = opportunity_visible_to(user).select_related(
        "account", "account__salesperson", "owner", "created_by", "updated_by"
    )
    return get_for_user(visible, user, action=action, pk=pk)


def _stage_order() -> Case:
    return Case(
        *(When(stage=stage, then=Value(i)) for i, stage in enumerate(Stage.values)),
        output_field=IntegerField(),
    )


def _filtered(user: User, filters: OpportunityFilters) -> QuerySet[Opportunity]:
    opportunities = opportunity_visible_to(user, searching=bool(filters.q))
    if filters.stage:
        opportunities = opportunities.filter(stage=filters.stage)
    if filters.state == "open":
        opportunities = opportunities.filter(stage__in=Opportunity.OPEN_STAGES)
    elif filters.state == "closed":
        opportunities = opportunities.filter(stage__in=Opportunity.CLOSED_STAGES)
    if filters.owner:
        opportunities = opportunities.filter(owner__username=filters.owner)
    if filters.account:
        opportunities = opportunities.filter(account__code=filters.account.strip().upper())
    if filters.close_from:
        opportunities = opportunities.filter(expected_close_date__gte=filters.close_from)
    if filters.close_to:
        opportunities = opportunities.filter(expected_close_date__lte=filters.close_to)
    if filters.closed_from:
        start = datetime.combine(
            filters.closed_from, time.min, tzinfo=timezone.get_current_timezone()
        )
        opportunities = opportunities.filter(closed_at__gte=start)
    if filters.closed_to:
        end = datetime.combine(
            filters.closed_to + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )
        opportunities = opportunities.filter(closed_at__lt=end)
    if filters.q:
        opportunities = apply_search(opportunities, filters.q)
    return opportunities


# Columns that may be empty: their empty values go last whichever the direction. The
# others sort plainly, so the database can walk an index instead of sorting.
NULLABLE_SORTS = frozenset({"expected_close_date", "closed_at"})


def _ordering(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    columns = SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT])
    order = []
    for column in (*columns, "id"):
        nulls_last = True if column in NULLABLE_SORTS else None
        order.append(
            F(column).desc(nulls_last=nulls_last)
            if descending
            else F(column).asc(nulls_last=nulls_last)
        )
    return order


def opportunity_ordering(sort: str) -> tuple[Ordering, bool]:
    """The list's ordering, and whether it can page by keyset (plain, non-null columns
    of the table)."""
    columns = (*SORTS.get(sort.lstrip("-"), SORTS[DEFAULT_SORT]), "id")
    nullable = frozenset(columns) & NULLABLE_SORTS
    ordering = Ordering(columns, descending=sort.startswith("-"), nulls_last=nullable)
    keyset = not nullable and all("__" not in c and c != "stage_order" for c in columns)
    return ordering, keyset


def opportunity_page(*, user: User, filters: OpportunityFilters, params: QueryDict) -> ListPage:
    """One page of the list (clientela.core.paging): a capped count, no COUNT(*) of
    every opportunity; a search sorts at most COUNT_CAP candidates."""
    ordering, keyset = opportunity_ordering(filters.sort)
    base = Opportunity.objects.select_related("account", "owner")
    matches = _filtered(user, filters).select_related("account", "owner")
    if filters.sort.lstrip("-") == "stage":
        base = base.annotate(stage_order=_stage_order())
        matches = matches.annotate(stage_order=_stage_order())
    count = None
    if filters.q:
        ids = list(matches.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
        count = (COUNT_CAP, True) if len(ids) > COUNT_CAP else (len(ids), False)
        matches = base.filter(pk__in=ids[:COUNT_CAP])
    if ordering.nulls_last:
        # Dated rows in the date index's order, then the undated: SQLite's index cannot
        # serve NULLS LAST, and sorting half a million rows per page is what it costs.
        (column,) = ordering.nulls_last
        plain = Ordering(ordering.columns, ordering.descending)
        phases = [
            matches.filter(**{f"{column}__isnull": False}),
            matches.filter(**{f"{column}__isnull": True}),
        ]
        if filters.sort == DEFAULT_SORT and not filters.stage and not filters.state:
            # The default view: open deals first (soonest close first), then the
            # closed ones, so last year's lost deals do not head the list.
            # Written as NOT IN on purpose: no index serves it, so each phase still walks
            # the close-date index in order instead of sorting (bench/plans.py).
            open_phases = [p.exclude(stage__in=Opportunity.CLOSED_STAGES) for p in phases]
            closed_phases = [p.exclude(stage__in=Opportunity.OPEN_STAGES) for p in phases]
            phases = open_phases + closed_phases
        return paginate_phases(matches, phases, plain, params, count=count)
    return paginate(matches, ordering, params, keyset=keyset, count=count)


def opportunity_list(*, user: User, filters: OpportunityFilters) -> QuerySet[Opportunity]:
    opportunities = _filtered(user, filters).select_related("account", "owner")
    if filters.sort.lstrip("-") == "stage":
        opportunities = opportunities.annotate(stage_order=_stage_order())
    return opportunities.order_by(*_ordering(filters.sort))


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    count: int
    amount: Decimal
    weighted: Decimal


def _currency_totals(rows: list[dict[str, Any]]) -> list[CurrencyTotal]:
    return [
        CurrencyTotal(
            currency=row["currency"],
            count=row["n"],
            amount=row["total"] or Decimal("0.00"),
            weighted=((row["weighted"] or Decimal("0")) / 100).quantize(Decimal("0.01")),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class CompanyTotal:
    """Totals in several currencies added up in the company currency, with the currencies
    that could not be (no exchange rate): they are named, never dropped silently."""

    currency: str
    amount: Decimal
    weighted: Decimal
    unconverted: tuple[str, ...] = ()


def in_company_currency(totals: list[CurrencyTotal], convert: Converter) -> CompanyTotal | None:
    """The totals in the company currency, when some are in another currency that converts
    (at par or with a rate); None when there is nothing to add up that the per-currency
    totals do not already say."""
    if all(total.currency == convert.target for total in totals):
        return None
    amount = weighted = Decimal("0.00")
    unconverted: list[str] = []
    converted_any = False
    for total in totals:
        rate = convert(Decimal(1), total.currency)
        if rate is None:
            unconverted.append(total.currency)
            continue
        converted_any = converted_any or total.currency != convert.target
        amount += total.amount * rate
        weighted += total.weighted * rate
    if not converted_any:
        return None
    return CompanyTotal(convert.target, _cents(amount), _cents(weighted), tuple(unconverted))


def company_converter() -> Converter:
    """Converts into the company currency at today's rates (read once, only if needed)."""
    return Converter(company_currency(), timezone.localdate())


def opportunity_totals(*, user: User, filters: OpportunityFilters) -> list[CurrencyTotal]:
    """The filtered opportunities' amounts summed per currency, in the database."""
    rows = (
        _filtered(user, filters)
        .order_by()
        .values("currency")
        .annotate(n=Count("*"), total=Sum("amount"), weighted=_WEIGHTED)
        .order_by("currency")
    )
    return _currency_totals(list(rows))


@dataclass
class BoardColumn:
    stage: str
    label: str
    is_open: bool
    count: int = 0
    totals: list[CurrencyTotal] = field(default_factory=list)
    cards: list[Opportunity] = field(default_factory=list)
    more_url: str = ""
    more_cards_url: str = ""  # the column again with more cards (htmx), when there are
    company_total: CompanyTotal | None = None

    @property
    def more(self) -> int:
        return max(self.count - len(self.cards), 0)


def opportunity_board(
    *, user: User, filters: OpportunityFilters, cards_per_column: int, only_stage: str = ""
) -> list[BoardColumn]:
    """One column per stage: the open ones with their first cards, won and lost as drop
    targets (`only_stage`: that column's cards alone, for "more"). Counts and totals
    come from one grouped query (COUNT(*), so the covering totals index suffices); the
    cards from one query per open stage, each served by the (stage, expected_close_date)
    index: a fixed number of queries, whatever the number of opportunities."""
    base = _filtered(user, replace_stage(filters))
    rows = (
        base.order_by()
        .values("stage", "currency")
        .annotate(n=Count("*"), total=Sum("amount"), weighted=_WEIGHTED)
        .order_by("stage", "currency")
    )
    by_stage: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_stage[row["stage"]].append(row)
    convert = company_converter()
    columns = []
    for stage in Stage:
        stage_rows = by_stage.get(stage.value, [])
        column = BoardColumn(
            stage=stage.value,
            label=str(stage.label),
            is_open=stage in Opportunity.OPEN_STAGES,
            count=sum(row["n"] for row in stage_rows),
            totals=_currency_totals(stage_rows),
        )
        column.company_total = in_company_currency(column.totals, convert)
        if column.is_open and column.count and only_stage in ("", stage.value):
            column.cards = _first_cards(base.filter(stage=stage), cards_per_column, column.count)
        columns.append(column)
    return columns


def _first_cards(opportunities: QuerySet[Opportunity], limit: int, count: int) -> list[Opportunity]:
    """A column's first cards by expected close, undated last: the dated ones from the
    (stage, expected_close_date, id) index, then undated ones if there is room."""
    cards = opportunities.select_related("account", "owner")
    first = list(
        cards.filter(expected_close_date__isnull=False).order_by("expected_close_date", "id")[
            :limit
        ]
    )
    if len(first) < min(limit, count):  # undated ones exist: the column's count says so
        undated = cards.filter(expected_close_date__isnull=True).order_by("id")
        first += list(undated[: limit - len(first)])
    return first


def replace_stage(filters: OpportunityFilters) -> OpportunityFilters:
    """The board shows every stage: it ignores the list's stage and open/closed filters."""
    return OpportunityFilters(
        q=filters.q,
        owner=filters.owner,
        account=filters.account,
        close_from=filters.close_from,
        close_to=filters.close_to,
    )


@dataclass(frozen=True)
class AccountOpportunities:
    open: list[Opportunity]
    closed: list[Opportunity]
    open_count: int
    closed_count: int
    open_totals: list[CurrencyTotal]


# An account with at most this many opportunities has its panel drawn from one query.
PANEL_FETCH = 100


def _open_sort_key(opportunity: Opportunity) -> tuple[Any, ...]:
    close = opportunity.expected_close_date
    return (close is None, close or date.min, opportunity.pk)


def opportunities_for_account(
    *, user: User, account: Account, open_limit: int = 20, closed_limit: int = 10
) -> AccountOpportunities:
    """The profile panel's open and closed opportunities of `account` that `user` may
    see. One query when the account has at most PANEL_FETCH of them (split, counted and
    summed here); three otherwise."""
    mine = opportunity_visible_to(user).filter(account=account)
    few = list(mine.select_related("owner").order_by("id")[: PANEL_FETCH + 1])
    if len(few) <= PANEL_FETCH:
        open_rows = sorted(
            (o for o in few if o.stage in Opportunity.OPEN_STAGES), key=_open_sort_key
        )
        closed_rows = sorted(
            (o for o in few if o.stage in Opportunity.CLOSED_STAGES),
            key=lambda o: (o.closed_at, o.pk),
            reverse=True,
        )
        by_currency: dict[str, dict[str, Any]] = {}
        for o in open_rows:
            row = by_currency.setdefault(
                o.currency, {"currency": o.currency, "n": 0, "total": Decimal("0"), "weighted": 0}
            )
            row["n"] += 1
            row["total"] += o.amount
            row["weighted"] += o.amount * o.probability
        return AccountOpportunities(
            open=open_rows[:open_limit],
            closed=closed_rows[:closed_limit],
            open_count=len(open_rows),
            closed_count=len(closed_rows),
            open_totals=_currency_totals([by_currency[c] for c in sorted(by_currency)]),
        )
    open_rows = list(
        mine.filter(stage__in=Opportunity.OPEN_STAGES)
        .select_related("owner")
        .order_by(*_ordering(DEFAULT_SORT))[:open_limit]
    )
    closed_rows = list(
        mine.filter(stage__in=Opportunity.CLOSED_STAGES)
        .select_related("owner")
        .order_by("-closed_at", "-id")[:closed_limit]
    )
    rows = list(
        mine.order_by()
        .values("currency")
        .annotate(
            n=Count("id", filter=Q(stage__in=Opportunity.OPEN_STAGES)),
            closed=Count("id", filter=Q(stage__in=Opportunity.CLOSED_STAGES)),
            total=Sum("amount", filter=Q(stage__in=Opportunity.OPEN_STAGES)),
            weighted=Sum(
                F("amount") * F("probability"),
                filter=Q(stage__in=Opportunity.OPEN_STAGES),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            ),
        )
        .order_by("currency")
    )
    return AccountOpportunities(
        open=open_rows,
        closed=closed_rows,
        open_count=sum(row["n"] for row in rows),
        closed_count=sum(row["closed"] for row in rows),
        open_totals=_currency_totals([row for row in rows if row["n"]]),
    )


@dataclass(frozen=True)
class CreditExposure:
    """An account's credit limit against what its open and won opportunities commit, all in
    the company currency (the credit limit's). Amounts in other currencies are converted at
    par (PAB) or with the exchange rates administrators keep; what has no rate is listed in
    `unconverted`, never left out silently."""

    account_code: str
    currency: str  # the company currency
    credit_limit: Decimal
    amount: Decimal | None  # this opportunity, converted; None when it could not be
    committed: Decimal  # the account's other open and won opportunities, converted
    # This opportunity as typed: (currency, amount).
    original: tuple[str, Decimal]
    # Per currency, what could not be converted (this opportunity included).
    unconverted: tuple[tuple[str, Decimal], ...] = ()

    @property
    def total(self) -> Decimal:
        return (self.amount or Decimal("0.00")) + self.committed

    @property
    def excess(self) -> Decimal:
        return self.total - self.credit_limit

    @property
    def over_limit(self) -> bool:
        return self.total > self.credit_limit


def credit_exposure(
    *,
    account: Account,
    amount: Decimal | None,
    currency: str,
    stage: str,
    exclude_pk: int | None = None,
) -> CreditExposure | None:
    """The figures when an opportunity of `amount` would take a credit account past its
    limit, or when some amounts could not be converted to check it; else None. Two queries
    at most: the account's amounts per currency, and the exchange rates if one is needed."""
    if (
        account.payment_terms != Account.PaymentTerms.CREDIT
        or amount is None
        or stage == Stage.LOST
    ):
        return None
    company = company_currency()
    others = Opportunity.objects.filter(
        account=account, stage__in=[*Opportunity.OPEN_STAGES, Stage.WON]
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    rows = others.order_by().values("currency").annotate(total=Sum("amount")).order_by("currency")
    to_company = Converter(company, timezone.localdate())
    unconverted: dict[str, Decimal] = {}
    committed = Decimal("0.00")
    for row in rows:
        converted = to_company(row["total"], row["currency"])
        if converted is None:
            unconverted[row["currency"]] = row["total"]
        else:
            committed += converted
    code = (currency or company).upper()
    this = to_company(amount, code)
    if this is None:
        unconverted[code] = unconverted.get(code, Decimal("0.00")) + amount
    exposure = CreditExposure(
        account_code=account.code,
        currency=company,
        credit_limit=account.credit_limit,
        amount=_cents(this) if this is not None else None,
        committed=_cents(committed),
        original=(code, amount),
        unconverted=tuple(sorted(unconverted.items())),
    )
    return exposure if exposure.over_limit or exposure.unconverted else None


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"))
