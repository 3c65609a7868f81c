"""Reads of documents, always through the access gate: a document is visible exactly
when its account is (see clientela.core.access)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from clientela.accounts.models import Account
from clientela.core.access import VIEW, get_for_user, scope_to_user
from clientela.core.fts import apply_search
from clientela.users.models import User

from .models import Document

# Sort keys offered to users: the only orderings that can reach the database.
SORTS: dict[str, tuple[str, ...]] = {
    "uploaded_at": ("created_at", "id"),
    "original_name": ("original_name", "id"),
    "size": ("size", "id"),
    "category": ("category", "original_name", "id"),
}


@dataclass(frozen=True)
class DocumentFilters:
    q: str = ""  # words of the file name or description
    category: str = ""
    sort: str = "-uploaded_at"


def document_visible_to(user: User, *, searching: bool = False) -> QuerySet[Document]:
    return scope_to_user(user, Document.objects.all(), searching=searching)


def document_search(user: User, query: str) -> QuerySet[Document]:
    """The documents `user` may see whose file name or description holds every word of
    `query` (accents and case aside), through the search index (clientela.core.fts)."""
    return apply_search(document_visible_to(user, searching=bool(query.strip())), query)


def document_get_for_user(user: User, pk: int, *, action: str = VIEW) -> Document:
    """The document: 404 if the user may not see its account, 403 if they may not do
    `action` on it."""
    visible = document_visible_to(user).select_related(
        "account", "account__customer_type", "created_by", "updated_by"
    )
    return get_for_user(visible, user, action=action, pk=pk)


def document_list_for_account(
    *, user: User, account: Account, filters: DocumentFilters | None = None
) -> QuerySet[Document]:
    """The documents of `account` that `user` may see, newest first unless `filters`
    sorts them otherwise."""
    documents = document_visible_to(user).filter(account=account).select_related("created_by")
    if filters is None:
        return documents
    if filters.category:
        documents = documents.filter(category=filters.category)
    documents = apply_search(documents, filters.q)
    descending = filters.sort.startswith("-")
    columns = SORTS.get(filters.sort.lstrip("-"), SORTS["uploaded_at"])
    return documents.order_by(*(f"-{c}" if descending else c for c in columns))
