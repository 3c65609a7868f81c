"""Reads of accounts. `account_visible_to` is the single gate every list, page,
search and count goes through (see clientela.core.access)."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from clientela.core.access import VIEW, get_for_user, scope_to_user
from clientela.core.search import search_words
from clientela.users.models import User

from .models import Account

_SEPARATORS = re.compile(r"[\s\-.()/+]")

# Sort keys offered to users: the only orderings that can reach the database.
SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "name": ("name", "id"),
    "tax_id": ("tax_id", "id"),
    "customer_type": ("customer_type__name", "name", "id"),
    "salesperson": ("salesperson__username", "name", "id"),
    "city": ("city", "name", "id"),
    "country": ("country", "name", "id"),
    "status": ("status", "name", "id"),
}


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


def _search(accounts: QuerySet[Account], query: str) -> QuerySet[Account]:
    for word in search_words(query):
        condition = Q(search_text__contains=word)
        compact = _SEPARATORS.sub("", word)
        if compact and compact != word and any(ch.isdigit() for ch in compact):
            # '6123-4567' finds 61234567; '8-123-456' still finds itself literally.
            condition |= Q(search_text__contains=compact)
        accounts = accounts.filter(condition)
    return accounts


def account_list(*, user: User, filters: AccountFilters) -> QuerySet[Account]:
    accounts = account_visible_to(user).select_related("customer_type", "salesperson")
    if filters.status == "all":
        pass
    elif filters.status:
        accounts = accounts.filter(status=filters.status)
    else:
        accounts = accounts.exclude(status=Account.Status.INACTIVE)
    if filters.customer_type:
        accounts = accounts.filter(customer_type__code=filters.customer_type)
    if filters.salesperson:
        accounts = accounts.filter(salesperson__username=filters.salesperson)
    if filters.country:
        accounts = accounts.filter(country=filters.country)
    if filters.priority:
        accounts = accounts.filter(priority=filters.priority)
    if filters.payment_terms:
        accounts = accounts.filter(payment_terms=filters.payment_terms)
    if filters.is_supplier is not None:
        accounts = accounts.filter(is_supplier=filters.is_supplier)
    if filters.q:
        accounts = _search(accounts, filters.q)
    descending = filters.sort.startswith("-")
    columns = SORTS.get(filters.sort.lstrip("-"), SORTS["name"])
    return accounts.order_by(*(f"-{c}" if descending else c for c in columns))


def account_counts_by_status(user: User) -> dict[str, int]:
    rows = account_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def account_recent(user: User, limit: int = 8) -> QuerySet[Account]:
    return account_visible_to(user).select_related("customer_type").order_by("-created_at")[:limit]
