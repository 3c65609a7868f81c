"""Every write to a contact goes through here: atomic, validated with full_clean(), and
recorded in the history (SPEC §8) of the contact's account.

A contact marked primary takes the flag from the account's current primary in the
same transaction (both changes are recorded): that is what a user means by "make this
one the main contact". The database constraint (one primary per account) stays as the
safety net under concurrent saves.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Account
from clientela.core import phones, writes
from clientela.core.access import require
from clientela.core.search import rebuild_search_text
from clientela.core.writes import Saved
from clientela.users.models import User

from .models import Contact

# What a form or API client may set, in the form's order; audit columns, version and
# derived columns are the system's.
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "mobile",
    "account",
    "is_primary",
    "notes",
)


def _apply(contact: Contact, data: dict[str, Any]) -> None:
    # Phones sent as text (an import) are read in the account's country, as the form does.
    account = data.get("account", contact.account)
    data = phones.read_phones(data, ("phone", "mobile"), account.country if account else "")
    writes.set_fields(contact, data, EDITABLE_FIELDS)
    contact.is_primary = bool(contact.is_primary)


def _lock_account(account_id: int | None) -> None:
    """Serialize primary changes of one account: two users making different contacts
    primary at once queue here instead of one failing on the constraint."""
    if account_id is not None:
        list(Account.objects.select_for_update().filter(pk=account_id).values_list("pk"))


def _no_input_to_validate(contact: Contact) -> None:
    """Only the primary flag moves: nothing the user typed to validate."""


def _take_primary(*, user: User, contact: Contact) -> None:
    """When `contact` is its account's primary, the account's previous primary stops
    being it (a recorded change of its own)."""
    if not contact.is_primary or contact.account_id is None:
        return
    _lock_account(contact.account_id)
    current = (
        Contact.objects.filter(account_id=contact.account_id, is_primary=True)
        .exclude(pk=contact.pk)
        .first()
    )
    if current is not None:
        writes.versioned_update(
            current,
            user=user,
            version=None,
            apply=lambda other: setattr(other, "is_primary", False),
            validate=_no_input_to_validate,
        )


@transaction.atomic
def contact_create(*, user: User, data: dict[str, Any]) -> Saved[Contact]:
    require(user, "add", Contact, account=data.get("account"))
    contact = Contact()
    _apply(contact, data)
    _take_primary(user=user, contact=contact)
    return writes.create_recorded(contact, user=user)


@transaction.atomic
def contact_update(
    *, user: User, contact: Contact, data: dict[str, Any], version: int
) -> Saved[Contact]:
    """Apply `data` if nobody saved since the user loaded `version`; else StaleVersionError.
    Moving a contact to another account needs the right on both accounts."""

    def apply(locked: Contact) -> None:
        if "account" in data and data["account"] != locked.account:
            require(user, "change", Contact, account=data["account"])
        _apply(locked, data)
        _take_primary(user=user, contact=locked)

    return writes.versioned_update(contact, user=user, version=version, apply=apply)


@transaction.atomic
def contact_make_primary(*, user: User, contact: Contact) -> Saved[Contact]:
    """Make `contact` its account's primary contact (the panel's one-click action)."""

    def apply(locked: Contact) -> None:
        if locked.account_id is None:
            raise ValidationError(
                {"is_primary": _("Only a contact of an account can be its primary.")},
                code="primary_needs_account",
            )
        locked.is_primary = True
        _take_primary(user=user, contact=locked)

    return writes.versioned_update(
        contact, user=user, version=None, apply=apply, validate=_no_input_to_validate
    )


@transaction.atomic
def contact_delete(*, user: User, contact: Contact) -> None:
    """Delete a contact. Records that point at it (cases) protect it: the user is told
    to move them first, nothing is lost silently."""
    writes.delete_recorded(contact, user=user)


def contacts_refresh_search_text(*, account: Account) -> int:
    """A contact is found, and sorted in the directory, by its account's name too."""
    changed = rebuild_search_text(Contact.objects.filter(account=account).select_related("account"))
    Contact.objects.filter(account_id=account.pk).exclude(account_name=account.name[:200]).update(
        account_name=account.name[:200]
    )
    return changed
