"""Reads of contacts. `contact_visible_to` is the gate every list, page, search, count,
panel and vCard download goes through.

Who sees which contacts (SPEC §7):
- a contact of an account is visible to whoever may see the account
  (`clientela.core.access.scope_to_user`: a salesperson sees only their accounts');
- a contact without an account is visible to every role but `sales`; a salesperson sees
  only the account-less contacts they created themselves (a personal lead nobody has
  given an account yet), not their colleagues'.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict

from clientela.audit.models import HistoryEntry
from clientela.core.access import is_owner_scoped, scope_to_user
from clientela.core.fts import apply_search
from clientela.core.paging import ListPage, Ordering, paginate, paginate_candidates
from clientela.core.search import search_words
from clientela.users.models import User

from .models import LETTERS, OTHER_INITIAL, Contact

_SEPARATORS = re.compile(r"[\s\-.()/+]")
_ACCOUNT_CODE = re.compile(r"[A-Z]{1,5}-\d{1,12}")

# Sort keys offered to users: the only orderings that can reach the database.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("sort_name", "id"),
    "job_title": ("job_title", "sort_name", "id"),
    "account": ("account_name", "sort_name", "id"),
    "email": ("email", "id"),
    "updated": ("updated_at", "id"),
}

# The panel shows this many contacts of an account, then links to the directory.
PANEL_LIMIT = 50


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    account: str = ""  # an account code, or words of an account's name
    letter: str = ""  # one of LETTERS or OTHER_INITIAL
    sort: str = "name"


def contact_visible_to(user: User) -> QuerySet[Contact]:
    """Every contact the user may see (see the module docstring)."""
    contacts = Contact.objects.all()
    scoped = scope_to_user(user, contacts, account_path="account")
    if is_owner_scoped(user) and not scoped.query.is_empty():
        scoped = scoped | contacts.filter(account__isnull=True, created_by=user)
    return scoped


def contact_get_for_user(user: User, pk: int) -> Contact:
    """The contact if the user may see it, else Http404."""
    contact = (
        contact_visible_to(user)
        .select_related("account", "account__salesperson", "created_by", "updated_by")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise Http404("contact")
    return contact


def _search(contacts: QuerySet[Contact], query: str) -> QuerySet[Contact]:
    return apply_search(contacts, query)


def _letter_condition(letter: str) -> Q | None:
    """The jump bar: 'N' also lists 'Ñ' names (accents fold everywhere else in the
    search, so someone looking for Ñáñez under N finds it); 'Ñ' lists only them."""
    if letter == "N":
        return Q(initial__in=["N", "Ñ"])
    if letter in LETTERS or letter == OTHER_INITIAL:
        return Q(initial=letter)
    return None


def _account_condition(text: str) -> Q:
    """The account filter: 'C-000123' (or 'C-000123 · Name', as the autocomplete
    offers it) is that account; other text matches accounts as the account search does,
    so typing a name without picking a suggestion still works."""
    first = text.split()[0].upper() if text.split() else ""
    if _ACCOUNT_CODE.fullmatch(first):
        return Q(account__code=first)
    condition = Q(account__isnull=False)
    for word in search_words(text):
        condition &= Q(account__search_text__contains=word)
    return condition


def contact_ordering(sort: str) -> Ordering:
    columns = SORTS.get(sort.lstrip("-"), SORTS["name"])
    return Ordering(columns, descending=sort.startswith("-"))


def contact_page(*, user: User, filters: ContactFilters, params: QueryDict) -> ListPage:
    """One page of the directory in two queries (see clientela.core.paging); a search
    sorts at most COUNT_CAP candidates."""
    ordering = contact_ordering(filters.sort)
    contacts = _filtered(user, filters)
    if not filters.q:
        return paginate(contacts, ordering, params)
    return paginate_candidates(
        contacts, Contact.objects.select_related("account"), ordering, params
    )


def contact_list(*, user: User, filters: ContactFilters) -> QuerySet[Contact]:
    return _filtered(user, filters).order_by(*contact_ordering(filters.sort).order_by())


def _filtered(user: User, filters: ContactFilters) -> QuerySet[Contact]:
    contacts = contact_visible_to(user).select_related("account")
    if filters.account.strip():
        contacts = contacts.filter(_account_condition(filters.account))
    letter = _letter_condition(filters.letter)
    if letter is not None:
        contacts = contacts.filter(letter)
    if filters.q:
        contacts = _search(contacts, filters.q)
    return contacts


def contacts_of_account(account_id: int, limit: int = PANEL_LIMIT) -> list[Contact]:
    """The account's contacts for its profile panel, primary first; at most `limit`
    (plus one, so the panel knows there are more). The caller has checked the user may
    see the account: its contacts are then visible too."""
    return list(
        Contact.objects.filter(account_id=account_id).order_by("-is_primary", "sort_name", "id")[
            : limit + 1
        ]
    )


def contact_history(contact: Contact) -> QuerySet[HistoryEntry]:
    """The contact's own history entries, newest first."""
    return (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)
        )
        .select_related("user", "content_type")
        .order_by("-at", "-id")
    )
