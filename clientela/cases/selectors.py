"""Reads of cases. `case_visible_to` is the gate every list, page, search and count goes
through: a case is visible to whoever may see its account (clientela.core.access)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as SqlCase
from django.db.models.expressions import RawSQL
from django.http import Http404, QueryDict
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.contacts.models import Contact
from clientela.contacts.selectors import contact_visible_to
from clientela.core.access import VIEW, get_for_user, scope_to_user
from clientela.core.fts import apply_search
from clientela.core.paging import (
    ListPage,
    Ordering,
    capped_counts,
    paginate,
    paginate_phases,
)
from clientela.users.models import User

from .models import DONE_STATUSES, OPEN_STATUSES, Case, CaseComment

SCOPES = ("all", "mine", "unassigned")
# Orderings offered besides the queue's own (the API's allow-list): the only ones that
# can reach the database. `priority` is the rank, urgent first.
SORTS: dict[str, tuple[str, ...]] = {
    "number": ("number",),
    "subject": ("subject", "id"),
    "account": ("account__code", "id"),
    "priority": ("priority_rank", "opened_at", "id"),
    "status": ("status", "opened_at", "id"),
    "assignee": ("assignee__username", "opened_at", "id"),
    "opened_at": ("opened_at", "id"),
    "due_at": ("due_at", "id"),
    "updated_at": ("updated_at", "id"),
}


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    scope: str = "all"  # all | mine | unassigned
    priority: str = ""
    status: str = ""  # "" = every open status; one status (resolved/closed included); "all"
    account: str = ""  # account code
    assignee: str = ""  # username
    sort: str = ""  # "" = the queue's order; else a key of SORTS, "-" for descending


def case_visible_to(user: User, *, searching: bool = False) -> QuerySet[Case]:
    return scope_to_user(user, Case.objects.all(), searching=searching)


def case_get_for_user(user: User, number: str, *, action: str = VIEW) -> Case:
    """The case with this number: 404 if the user may not see it, 403 if they may not do
    `action` on it."""
    if "\x00" in number:
        raise Http404("case")  # no number holds NUL; PostgreSQL could not even compare it
    visible = case_visible_to(user).select_related(
        "account", "contact", "assignee", "created_by", "updated_by"
    )
    return get_for_user(visible, user, action=action, number=number)


def _search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    return apply_search(cases, query)


def _filtered(user: User, filters: CaseFilters) -> QuerySet[Case]:
    """Every filter but the scope (the scope counts are computed across scopes)."""
    cases = case_visible_to(user, searching=bool(filters.q))
    if filters.status == "all":
        pass
    elif filters.status:
        cases = cases.filter(status=filters.status)
    else:
        cases = cases.filter(status__in=OPEN_STATUSES)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.account:
        cases = cases.filter(account__code=filters.account)
    if filters.assignee:
        cases = cases.filter(assignee__username=filters.assignee)
    if filters.q:
        cases = _search(cases, filters.q)
    return cases


def _scope_q(user: User, scope: str) -> Q:
    if scope == "mine":
        return Q(assignee=user)
    if scope == "unassigned":
        return Q(assignee__isnull=True)
    return Q()


def case_queue(*, user: User, filters: CaseFilters, now: datetime | None = None) -> QuerySet[Case]:
    """ "Casos pendientes por atender": overdue first, then by priority (urgent first),
    then oldest first; or `filters.sort` (a key of SORTS)."""
    now = now or timezone.now()
    cases = _filtered(user, filters).filter(_scope_q(user, filters.scope))
    overdue = SqlCase(
        When(status__in=OPEN_STATUSES, due_at__lt=now, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    cases = cases.select_related("account", "contact", "assignee").annotate(overdue_rank=overdue)
    columns = SORTS.get(filters.sort.lstrip("-"))
    if columns is None:
        return cases.order_by("overdue_rank", "priority_rank", "opened_at", "id")
    descending = filters.sort.startswith("-")
    return cases.order_by(*(f"-{c}" if descending else c for c in columns))


QUEUE_ORDER = ("priority_rank", "opened_at", "id")
_OPEN_SQL = "(" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"


def open_literal() -> RawSQL:
    """`status IN ('new', …)` as literal SQL (our constants): SQLite plans a partial
    index only from a condition written as its own, and Django sends the statuses as
    bound parameters."""
    sql = f"{Case._meta.db_table}.status IN {_OPEN_SQL}"
    return RawSQL(sql, (), output_field=BooleanField())  # noqa: S611


def case_queue_page(
    *,
    user: User,
    filters: CaseFilters,
    params: QueryDict,
    now: datetime | None = None,
    count: tuple[int, bool] | None = None,
) -> ListPage:
    """One page of the queue. Its own order ("overdue first, then priority, then age")
    is read as two index walks, the overdue cases then the others, each in the
    (priority_rank, opened_at, id) order of the open cases' index: no sort of every
    pending case. Another sort (`filters.sort`) pages like the other lists."""
    now = now or timezone.now()
    cases = (
        _filtered(user, filters)
        .filter(_scope_q(user, filters.scope))
        .select_related("account", "contact", "assignee")
    )
    if filters.sort.lstrip("-") in SORTS:
        columns = SORTS[filters.sort.lstrip("-")]
        ordering = Ordering(columns, descending=filters.sort.startswith("-"))
        keyset = all("__" not in column for column in columns)
        return paginate(cases, ordering, params, keyset=keyset)
    ordering = Ordering(QUEUE_ORDER)
    open_only = not filters.status
    if open_only:
        cases = cases.filter(open_literal())
    late = (
        cases.filter(due_at__lt=now)
        if open_only
        else cases.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    )
    rest = (
        cases.exclude(pk__in=late.values("pk")) if not open_only else cases.filter(due_at__gte=now)
    )
    return paginate_phases(cases, [late, rest], ordering, params, count=count)


# The tabs say "100+" past this: a salesperson's cases are found through their accounts,
# and each counted case is a join, so a tab count stops early.
TAB_COUNT_CAP = 100


def case_queue_counts(
    *, user: User, filters: CaseFilters, now: datetime | None = None
) -> dict[str, int]:
    """How many cases each scope tab holds under the other filters, and how many of the
    current scope's are overdue, each counted up to TAB_COUNT_CAP ("100+" above it), in
    one query."""
    now = now or timezone.now()
    base = _filtered(user, filters)
    overdue = Q(status__in=OPEN_STATUSES, due_at__lt=now) & _scope_q(user, filters.scope)
    overdue &= Q(open_literal())
    found = capped_counts(
        {
            "all": base,
            "mine": base.filter(_scope_q(user, "mine")),
            "unassigned": base.filter(_scope_q(user, "unassigned")),
            "overdue": base.filter(overdue),
        },
        cap=TAB_COUNT_CAP,
    )
    counts: dict[str, int] = {}
    for key, (number, capped) in found.items():
        counts[key] = number
        counts[f"{key}_capped"] = int(capped)
    return counts


def case_comments(case: Case) -> QuerySet[CaseComment]:
    """The thread, oldest first (newest last, like a conversation)."""
    return case.comments.select_related("author").order_by("created_at", "id")


def contacts_for_account(*, user: User, account: Account | None) -> QuerySet[Contact]:
    """The contacts of `account` that `user` may see: those a case of it may name."""
    if account is None:
        return Contact.objects.none()
    contacts = contact_visible_to(user).filter(account=account)
    return contacts.order_by("last_name", "first_name", "id")


PANEL_OPEN_LIMIT = 20
PANEL_DONE_LIMIT = 10


PANEL_FETCH = 100


def account_case_panel(
    *, user: User, account: Account, now: datetime | None = None
) -> dict[str, Any]:
    """The profile's Casos panel: the cases of `account` that `user` may see, open ones
    in queue order, the latest resolved or closed ones, and the counts of both. One
    query when the account has at most PANEL_FETCH cases (ordered and counted here),
    three otherwise."""
    now = now or timezone.now()
    mine = case_visible_to(user).filter(account=account)
    cases = mine.select_related("assignee", "contact")
    few = list(cases.order_by("id")[: PANEL_FETCH + 1])
    if len(few) <= PANEL_FETCH:
        pending = sorted(
            (c for c in few if c.status in OPEN_STATUSES),
            key=lambda c: (c.due_at >= now, c.priority_rank, c.opened_at, c.pk),
        )
        done = sorted(
            (c for c in few if c.status in DONE_STATUSES),
            key=lambda c: (c.resolved_at, c.pk),
            reverse=True,
        )
        return {
            "open_cases": pending[:PANEL_OPEN_LIMIT],
            "done_cases": done[:PANEL_DONE_LIMIT],
            "open_count": len(pending),
            "done_count": len(done),
        }
    counts = mine.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        done=Count("id", filter=Q(status__in=DONE_STATUSES)),
    )
    overdue = SqlCase(
        When(due_at__lt=now, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    open_cases = (
        cases.filter(status__in=OPEN_STATUSES)
        .annotate(overdue_rank=overdue)
        .order_by("overdue_rank", "priority_rank", "opened_at", "id")[:PANEL_OPEN_LIMIT]
    )
    done_cases = cases.filter(status__in=DONE_STATUSES).order_by("-resolved_at", "-id")[
        :PANEL_DONE_LIMIT
    ]
    return {
        "open_cases": list(open_cases),
        "done_cases": list(done_cases),
        "open_count": counts["open"] or 0,
        "done_count": counts["done"] or 0,
    }
