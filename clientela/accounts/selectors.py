"""Reads of accounts. `account_visible_to` is the single gate every list, page,
search and count goes through (see clientela.core.access)."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Case, Q, QuerySet, Subquery, Sum, Value, When
from django.http import QueryDict
from django.utils import timezone

from clientela.catalogs.models import CustomerType
from clientela.core.access import VIEW, get_for_user, is_owner_scoped, scope_to_user
from clientela.core.fts import apply_search
from clientela.core.paging import (
    COUNT_CAP,
    ListPage,
    Ordering,
    capped_count,
    paginate,
)
from clientela.users.models import User

from .models import Account, AccountStatusCount

_CODE = re.compile(r"[A-Za-z]{1,5}-\d{1,12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# Sort keys offered to users: the only orderings that can reach the database. Each has
# an index of the same columns (Account.Meta.indexes); relations sort by the account's
# own copy of the related name.
SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "name": ("name", "id"),
    "tax_id": ("tax_id", "id"),
    "customer_type": ("customer_type_name", "name", "id"),
    "salesperson": ("salesperson_name", "name", "id"),
    "city": ("city", "name", "id"),
    "country": ("country", "name", "id"),
    "status": ("status", "name", "id"),
    "last_activity": ("last_activity_at", "name", "id"),
    "next_activity": ("next_activity_at", "name", "id"),
}
# Empty for an account without activities: last whichever the direction, paged by offset.
NULLABLE_SORTS = frozenset({"last_activity", "next_activity"})
# "Sin actividad en 30 días".
IDLE_DAYS = 30


@dataclass(frozen=True)
class AccountFilters:
    q: str = ""
    status: str = ""  # "" = all but inactive; "all" = every status
    customer_type: str = ""  # catalog code
    salesperson: str = ""  # username
    country: str = ""
    priority: str = ""
    payment_terms: str = ""
    is_supplier: bool | None = None
    idle: bool = False  # no activity done in IDLE_DAYS days
    sort: str = "name"


def account_visible_to(user: User) -> QuerySet[Account]:
    """Every account the user may see: the gate for lists, pages, searches and counts."""
    return scope_to_user(user, Account.objects.all())


def account_get_for_user(user: User, code: str, *, action: str = VIEW) -> Account:
    """The account with this code: 404 if the user may not see it, 403 if they may not
    do `action` on it."""
    visible = account_visible_to(user).select_related(
        "customer_type",
        "economic_activity",
        "price_list",
        "ledger_account",
        "salesperson",
        "created_by",
        "updated_by",
    )
    return get_for_user(visible, user, action=action, code=code)


def _exact_condition(query: str) -> Q | None:
    """The indexed fast paths: a whole code, e-mail address or tax id typed in full
    (equality on a unique or plain index); None when the query is none of these."""
    text = query.strip()
    if " " in text or not text:
        return None
    if _CODE.fullmatch(text):
        return Q(code=text.upper())
    if _EMAIL.fullmatch(text):
        return Q(email=text.lower())
    if any(ch.isdigit() for ch in text):
        return Q(tax_id=text.upper())
    return None


def _search(accounts: QuerySet[Account], query: str) -> QuerySet[Account]:
    exact = _exact_condition(query)
    if exact is not None and accounts.filter(exact).exists():
        return accounts.filter(exact)
    return apply_search(accounts, query)


def _candidate_ids(unsearched: QuerySet[Account], query: str) -> list[int]:
    """At most COUNT_CAP + 1 ids the query finds, without ORDER BY (the database stops
    there): the exact match's when there is one, else the search index's."""
    exact = _exact_condition(query)
    if exact is not None:
        ids = list(unsearched.filter(exact).order_by().values_list("pk", flat=True)[:2])
        if ids:
            return ids
    found = apply_search(unsearched, query).order_by()
    return list(found.values_list("pk", flat=True)[: COUNT_CAP + 1])


def account_ordering(sort: str) -> Ordering:
    key = sort.lstrip("-") if sort.lstrip("-") in SORTS else "name"
    nulls = frozenset({SORTS[key][0]}) if key in NULLABLE_SORTS else frozenset()
    return Ordering(SORTS[key], descending=sort.startswith("-"), nulls_last=nulls)


def account_list(*, user: User, filters: AccountFilters) -> QuerySet[Account]:
    accounts = _filtered(user, filters).select_related("customer_type", "salesperson")
    return accounts.order_by(*account_ordering(filters.sort).order_by())


def _filtered(user: User, filters: AccountFilters, *, search: bool = True) -> QuerySet[Account]:
    # No joins: the list shows the account's own copies of the related names, so the
    # database walks the sort's index instead of starting from a small joined table
    # (which SQLite, with statistics, prefers, and then sorts a million rows).
    accounts = account_visible_to(user)
    if filters.status == "all":
        pass
    elif filters.status:
        accounts = accounts.filter(status=filters.status)
    else:
        accounts = accounts.exclude(status=Account.Status.INACTIVE)
    # Catalog code and username as a scalar subquery, not a join: the database then
    # knows it is one value and walks the (customer_type, name, id) or
    # (salesperson, name, id) index in list order.
    if filters.customer_type:
        type_id = CustomerType.objects.filter(code=filters.customer_type).values("pk")[:1]
        accounts = accounts.filter(customer_type_id=Subquery(type_id))
    if filters.salesperson:
        accounts = accounts.filter(salesperson_id=Subquery(_salesperson_id(filters.salesperson)))
    if filters.country:
        accounts = accounts.filter(country=filters.country)
    if filters.priority:
        accounts = accounts.filter(priority=filters.priority)
    if filters.payment_terms:
        accounts = accounts.filter(payment_terms=filters.payment_terms)
    if filters.is_supplier is not None:
        accounts = accounts.filter(is_supplier=filters.is_supplier)
    if filters.idle:
        since = timezone.now() - timedelta(days=IDLE_DAYS)
        accounts = accounts.filter(Q(last_activity_at__lt=since) | Q(last_activity_at__isnull=True))
    if filters.q and search:
        accounts = _search(accounts, filters.q)
    return accounts


def _salesperson_id(text: str) -> QuerySet[User, Any]:
    """The salesperson a filter names, as a one-value subquery: the username typed, else
    the first user whose name holds every word ("rosa caicedo", "Caicedo")."""
    text = text.strip()
    by_name = Q()
    for word in text.split()[:4]:
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    exact_first = Case(When(username=text, then=Value(0)), default=Value(1))
    users = User.objects.filter(Q(username=text) | by_name).order_by(exact_first, "username")
    return users.values("pk")[:1]


def account_page(*, user: User, filters: AccountFilters, params: QueryDict) -> ListPage:
    """One page of the list in two queries whatever the table's size (clientela.core.paging).

    A search first collects at most COUNT_CAP + 1 matching ids from the search index,
    then sorts and pages only those: a word found in half the accounts is never sorted
    in full; the page says "more than COUNT_CAP" and asks for a narrower search."""
    ordering = account_ordering(filters.sort)
    keyset = not ordering.nulls_last
    if not filters.q:
        return paginate(_filtered(user, filters), ordering, params, keyset=keyset)
    ids = _candidate_ids(_filtered(user, filters, search=False), filters.q)
    count = (COUNT_CAP, True) if len(ids) > COUNT_CAP else (len(ids), False)
    candidates = Account.objects.filter(pk__in=ids[:COUNT_CAP])
    return paginate(candidates, ordering, params, count=count, keyset=keyset)


def account_search_candidates(
    *, user: User, filters: AccountFilters
) -> tuple[QuerySet[Account], tuple[int, bool]]:
    """The list's search as an ordered queryset of at most COUNT_CAP candidates, and
    their capped count (for the API): a search never sorts every match."""
    ids = _candidate_ids(_filtered(user, filters, search=False), filters.q)
    count = (COUNT_CAP, True) if len(ids) > COUNT_CAP else (len(ids), False)
    ordered = Account.objects.filter(pk__in=ids[:COUNT_CAP]).select_related(
        "customer_type", "salesperson"
    )
    return ordered.order_by(*account_ordering(filters.sort).order_by()), count


def account_count(*, user: User, filters: AccountFilters) -> tuple[int, bool]:
    return capped_count(_filtered(user, filters))


def account_counts_by_status(user: User) -> dict[str, int]:
    """Accounts the user may see per status, from the counts the database keeps
    (AccountStatusCount): a few rows read, whatever the number of accounts. Reusable by
    the dashboard."""
    if account_visible_to(user).query.is_empty():
        return {}
    rows = AccountStatusCount.objects.all()
    if is_owner_scoped(user):
        rows = rows.filter(salesperson=user)
    totals = rows.values("status").annotate(total=Sum("n")).order_by()
    return {row["status"]: int(row["total"]) for row in totals if row["total"]}


def account_recent(user: User, limit: int = 8) -> QuerySet[Account]:
    # Newest first by id (ids grow with creation): the primary key, or the
    # (salesperson, id) index for a salesperson, instead of sorting by created_at.
    return account_visible_to(user).select_related("customer_type").order_by("-id")[:limit]
