"""One search box for everything (SPEC §11 `/search/?q=`): accounts, contacts,
opportunities, cases and documents at once, each through its module's own gate and
indexed search; a whole code (`C-000158`, `K-000042`) jumps straight to its record.

Each group costs at most two queries: up to COUNT_CAP + 1 matching ids from the search
index (no ORDER BY, so the database stops there), then the few shown, sorted."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from clientela.accounts.selectors import (
    AccountFilters,
    account_search_candidates,
    account_visible_to,
)
from clientela.cases.models import NUMBER_PREFIX, Case
from clientela.cases.selectors import CaseFilters, case_queue, case_visible_to
from clientela.contacts.models import Contact
from clientela.contacts.selectors import ContactFilters, contact_list
from clientela.core.paging import COUNT_CAP
from clientela.core.search import search_words
from clientela.documents.models import Document
from clientela.documents.selectors import document_search
from clientela.opportunities.models import Opportunity
from clientela.opportunities.selectors import OpportunityFilters, opportunity_list
from clientela.users.models import User

# Shown per group; the group links to its list for the rest.
GROUP_LIMIT = 5
_CODE = re.compile(r"([A-Za-z]{1,5})-(\d{1,12})")


@dataclass
class Group:
    key: str
    title: Any
    items: list[Any] = field(default_factory=list)
    count: int = 0
    capped: bool = False
    list_url: str = ""

    @property
    def more(self) -> bool:
        return self.count > len(self.items)


def _top(
    matches: QuerySet[Any], base: QuerySet[Any], order: tuple[str, ...]
) -> tuple[list[Any], int, bool]:
    """The first GROUP_LIMIT of `matches` in `order`, and the capped count of them."""
    ids = list(matches.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    capped = len(ids) > COUNT_CAP
    items = list(base.filter(pk__in=ids[:COUNT_CAP]).order_by(*order)[:GROUP_LIMIT]) if ids else []
    return items, min(len(ids), COUNT_CAP), capped


def _list_url(name: str, **params: str) -> str:
    return reverse(name) + "?" + urlencode(params)


def code_target(user: User, query: str) -> str | None:
    """The page of the record whose whole code is `query`, when the user may see it."""
    match = _CODE.fullmatch(query.strip())
    if match is None:
        return None
    code = f"{match.group(1).upper()}-{match.group(2)}"
    record: Model | None
    if match.group(1).upper() == NUMBER_PREFIX:
        record = case_visible_to(user).filter(number=code).first()
    else:
        record = account_visible_to(user).filter(code=code).first()
    return record.get_absolute_url() if record is not None else None


def _accounts(user: User, q: str) -> Group:
    ordered, (count, capped) = account_search_candidates(
        user=user, filters=AccountFilters(q=q, status="all")
    )
    return Group(
        "accounts",
        _("Accounts"),
        list(ordered[:GROUP_LIMIT]),
        count,
        capped,
        _list_url("account_list", q=q, status="all"),
    )


def _contacts(user: User, q: str) -> Group:
    matches = contact_list(user=user, filters=ContactFilters(q=q))
    items, count, capped = _top(
        matches, Contact.objects.select_related("account"), ("sort_name", "id")
    )
    return Group("contacts", _("Contacts"), items, count, capped, _list_url("contact_list", q=q))


def _opportunities(user: User, q: str) -> Group:
    matches = opportunity_list(user=user, filters=OpportunityFilters(q=q))
    base = Opportunity.objects.select_related("account", "owner")
    items, count, capped = _top(matches, base, ("expected_close_date", "id"))
    return Group(
        "opportunities",
        _("Opportunities"),
        items,
        count,
        capped,
        _list_url("opportunity_list", q=q),
    )


def _cases(user: User, q: str) -> Group:
    matches = case_queue(user=user, filters=CaseFilters(q=q, status="all"))
    items, count, capped = _top(
        matches, Case.objects.select_related("account"), ("-opened_at", "id")
    )
    return Group(
        "cases", _("Cases"), items, count, capped, _list_url("case_list", q=q, status="all")
    )


def _documents(user: User, q: str) -> Group:
    # Documents have no list of their own: each links to its page.
    documents = document_search(user, q)
    items, count, capped = _top(
        documents, Document.objects.select_related("account"), ("original_name", "id")
    )
    return Group("documents", _("Documents"), items, count, capped)


def search_everything(user: User, q: str) -> list[Group]:
    """Every group the query finds something in, in the menu's order."""
    if not search_words(q):
        return []
    groups = [
        _accounts(user, q),
        _contacts(user, q),
        _opportunities(user, q),
        _cases(user, q),
        _documents(user, q),
    ]
    return [group for group in groups if group.items]
