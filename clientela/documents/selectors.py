"""Reads of documents, always through the access gate: a document is visible exactly
when its account is (see clientela.core.access)."""

from django.db.models import QuerySet
from django.http import Http404

from clientela.accounts.models import Account
from clientela.core.access import scope_to_user
from clientela.users.models import User

from .models import Document


def document_visible_to(user: User) -> QuerySet[Document]:
    return scope_to_user(user, Document.objects.all(), account_path="account")


def document_get_for_user(user: User, pk: int) -> Document:
    """The document if the user may see its account, else Http404."""
    document = (
        document_visible_to(user)
        .select_related("account", "account__customer_type", "created_by")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404("document")
    return document


def document_list_for_account(account: Account) -> QuerySet[Document]:
    """The account's documents, newest first. The caller has already checked the user
    may see the account (account_get_for_user)."""
    return Document.objects.filter(account=account).select_related("created_by")
