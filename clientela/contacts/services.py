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
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Account
from clientela.audit.services import record_create, record_delete, record_update, snapshot
from clientela.core.access import require
from clientela.core.exceptions import StaleVersionError
from clientela.users.models import User

from .models import Contact

# What a form or API client may set; audit columns, version and derived columns are not.
EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "job_title",
        "email",
        "phone",
        "mobile",
        "notes",
        "account",
        "is_primary",
    }
)


def _apply(contact: Contact, data: dict[str, Any]) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in data.items():
        if field in {"phone", "mobile", "first_name", "job_title", "email", "notes"}:
            value = "" if value is None else value
        if field == "is_primary":
            value = bool(value)
        setattr(contact, field, value)


def _lock_account(account_id: int | None) -> None:
    """Serialize primary changes of one account: two users making different contacts
    primary at once queue here instead of one failing on the constraint."""
    if account_id is not None:
        list(Account.objects.select_for_update().filter(pk=account_id).values_list("pk"))


def _take_primary(*, user: User, contact: Contact) -> None:
    """Unset the account's current primary (other than `contact`), recording it."""
    if contact.account_id is None:
        return
    current = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(account_id=contact.account_id, is_primary=True)
        .exclude(pk=contact.pk)
        .first()
    )
    if current is None:
        return
    before = snapshot(current)
    current.is_primary = False
    current.version += 1
    current.updated_by = user
    current.save(update_fields=["is_primary", "version", "updated_by", "updated_at"])
    record_update(user=user, instance=current, before=before, account_id=current.account_id)


@transaction.atomic
def contact_create(*, user: User, data: dict[str, Any]) -> Contact:
    account = data.get("account")
    require(user, "contacts.add_contact", account)
    contact = Contact(created_by=user, updated_by=user)
    _apply(contact, data)
    contact.full_clean(validate_constraints=False)
    if contact.is_primary:
        _lock_account(contact.account_id)
        _take_primary(user=user, contact=contact)
    contact.save()
    record_create(user=user, instance=contact, account_id=contact.account_id)
    return contact


@transaction.atomic
def contact_update(*, user: User, contact: Contact, data: dict[str, Any], version: int) -> Contact:
    """Apply `data` if nobody saved since the user loaded `version`; else StaleVersionError.
    Moving a contact to another account needs the right on both accounts."""
    locked = (
        Contact.objects.select_for_update(of=("self",)).select_related("account").get(pk=contact.pk)
    )
    require(user, "contacts.change_contact", locked.account)
    if locked.version != version:
        raise StaleVersionError(current=locked)
    if "account" in data and data["account"] != locked.account:
        require(user, "contacts.change_contact", data["account"])
    before = snapshot(locked)
    before_account_id = locked.account_id
    _apply(locked, data)
    locked.full_clean(validate_constraints=False)
    if locked.is_primary:
        _lock_account(locked.account_id)
        _take_primary(user=user, contact=locked)
    locked.version += 1
    locked.updated_by = user
    locked.save()
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    if before_account_id is not None and before_account_id != locked.account_id:
        # The old account's history says where its contact went.
        record_update(user=user, instance=locked, before=before, account_id=before_account_id)
    return locked


@transaction.atomic
def contact_make_primary(*, user: User, contact: Contact) -> Contact:
    """Make `contact` its account's primary contact (the panel's one-click action)."""
    locked = (
        Contact.objects.select_for_update(of=("self",)).select_related("account").get(pk=contact.pk)
    )
    require(user, "contacts.change_contact", locked.account)
    if locked.is_primary:
        return locked
    if locked.account_id is None:
        raise ValidationError(
            {"is_primary": _("Only a contact of an account can be its primary.")},
            code="primary_needs_account",
        )
    _lock_account(locked.account_id)
    _take_primary(user=user, contact=locked)
    before = snapshot(locked)
    locked.is_primary = True
    locked.version += 1
    locked.updated_by = user
    locked.save(update_fields=["is_primary", "version", "updated_by", "updated_at"])
    record_update(user=user, instance=locked, before=before, account_id=locked.account_id)
    return locked


@transaction.atomic
def contact_delete(*, user: User, contact: Contact) -> None:
    """Delete a contact. Records that point at it (cases) protect it: the user is told
    to move them first, nothing is lost silently."""
    locked = (
        Contact.objects.select_for_update(of=("self",)).select_related("account").get(pk=contact.pk)
    )
    require(user, "contacts.delete_contact", locked.account)
    record_delete(user=user, instance=locked, account_id=locked.account_id)
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("This contact still has %(records)s; move or delete them first."),
            code="protected",
            params={"records": ", ".join(kinds)},
        ) from None


def contacts_refresh_account_terms(*, account: Account) -> int:
    """Rewrite the search text of `account`'s contacts after the account's name changed
    (their search text holds the account's name and code). Runs in the caller's
    transaction; returns how many contacts changed."""
    changed = []
    for contact in Contact.objects.filter(account_id=account.pk).only(
        "id", "first_name", "last_name", "email", "job_title", "phone", "mobile", "search_text"
    ):
        contact.account = account
        text = contact.build_search_text()
        if text != contact.search_text:
            contact.search_text = text
            changed.append(contact)
    Contact.objects.bulk_update(changed, ["search_text"], batch_size=500)
    Contact.objects.filter(account_id=account.pk).exclude(account_name=account.name[:200]).update(
        account_name=account.name[:200]
    )
    return len(changed)
