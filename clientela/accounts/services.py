"""Every write to an account goes through here: atomic, validated, recorded
(clientela.core.writes holds the steps every service shares)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from clientela.core import files, phones, writes
from clientela.core.access import may, require
from clientela.core.exceptions import DuplicateError
from clientela.core.sequences import format_code, sequence_next
from clientela.core.writes import Saved
from clientela.users.models import User

from . import logo as logo_images
from . import taxid
from .models import CODE_PREFIX, CODE_SEQUENCE, EDITABLE_FIELDS, PHONE_FIELDS, Account
from .signals import account_renamed


class DuplicateTaxIdError(DuplicateError):
    """The tax id belongs to another account of the same country."""

    def __init__(self, existing: Account) -> None:
        super().__init__(
            "tax_id",
            _("An account with %(label)s %(number)s already exists: %(code)s."),
            existing,
            code=existing.code,
            number=existing.tax_id,
            label=taxid.in_sentence(existing.tax_id_label),
        )


def _check_duplicate_tax_id(account: Account) -> None:
    duplicate = (
        Account.objects.filter(country=account.country, tax_id=account.tax_id)
        .exclude(pk=account.pk)
        .only("pk", "code", "name")
        .first()
    )
    if duplicate is not None:
        raise DuplicateTaxIdError(duplicate)


def _validate(account: Account) -> None:
    # clean() normalizes the tax id first; the duplicate check compares normalized forms.
    writes.full_validate(account, checks=[_check_duplicate_tax_id])


def _save_checked(account: Account) -> None:
    """Save, answering a concurrent save that took the tax id between our check and our
    write as the duplicate it is."""
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        _check_duplicate_tax_id(account)
        raise


def _tax_warning(account: Account, typed_dv: str) -> str:
    """What the tax authority's rules could not settle about the id as typed (Ecuador's
    company RUC whose check digit fails: the SRI issued some that way)."""
    return taxid.validate_tax_id(
        str(account.country), account.tax_id, typed_dv, account.known_person_kind
    ).warning


def _require_reassign(user: User, salesperson: Any) -> None:
    """Only managers and administrators give an account to someone else."""
    if salesperson is not None and salesperson != user and not may(user, "reassign", Account):
        raise PermissionDenied("accounts.reassign_account")


def _assign_code_and_save(account: Account) -> None:
    account.code = format_code(CODE_PREFIX, sequence_next(CODE_SEQUENCE))
    _save_checked(account)


def _read_phones(data: dict[str, Any], country: object) -> dict[str, Any]:
    """Phones sent as text (the API, an import) are read in the account's country, as the
    form reads them."""
    return phones.read_phones(data, PHONE_FIELDS, data.get("country") or country)


@transaction.atomic
def account_create(*, user: User, data: dict[str, Any]) -> Saved[Account]:
    require(user, "add", Account)
    _require_reassign(user, data.get("salesperson"))
    account = Account()
    data = _read_phones(data, settings.DEFAULT_COUNTRY)
    values = {k: v for k, v in data.items() if v is not None}
    writes.set_fields(account, {"salesperson": user, **values}, EDITABLE_FIELDS)
    saved = writes.create_recorded(
        account, user=user, validate=_validate, save=_assign_code_and_save
    )
    return saved.warn(_tax_warning(account, data.get("tax_dv") or ""))


@transaction.atomic
def account_update(
    *, user: User, account: Account, data: dict[str, Any], version: int
) -> Saved[Account]:
    """Apply `data` if nobody saved since the user loaded `version`; else StaleVersionError.
    A blank salesperson means "leave it": an account always has one."""
    changes = {k: v for k, v in data.items() if not (k == "salesperson" and v is None)}
    changes = _read_phones(changes, account.country)

    def apply(locked: Account) -> None:
        if "salesperson" in changes and changes["salesperson"] != locked.salesperson:
            require(user, "reassign", Account)
        writes.set_fields(locked, changes, EDITABLE_FIELDS)

    saved = writes.versioned_update(
        account, user=user, version=version, apply=apply, validate=_validate, save=_save_checked
    )
    if "name" in saved.changes:
        account_renamed.send(sender=Account, account=saved.record)
    if "tax_id" not in data:
        return saved
    return saved.warn(_tax_warning(saved.record, data.get("tax_dv") or ""))


@transaction.atomic
def account_delete(*, user: User, account: Account) -> None:
    """Delete an account that has nothing attached. Contacts, opportunities, cases and
    documents protect it: they are never lost silently with their account."""
    deleted = writes.delete_recorded(account, user=user)
    files.remove_on_commit(deleted.logo.storage, deleted.logo.name, deleted.logo_thumb.name)


def _no_input_to_validate(account: Account) -> None:
    """A new logo changes no field the user typed: nothing to validate."""


@transaction.atomic
def account_set_logo(*, user: User, account: Account, upload: Any) -> Saved[Account]:
    """Validate, re-encode and store a new logo; the old files go once the change
    commits. One click, not a form: it overwrites no one's typing (no version check)."""
    require(user, "change", account)
    images = logo_images.process_logo(upload)

    def apply(locked: Account) -> None:
        storage = locked.logo.storage
        # The old images go once the new ones are committed; the new ones go if this
        # transaction (or any outer one) rolls back.
        files.remove_on_commit(storage, locked.logo.name, locked.logo_thumb.name)
        locked.logo.save("logo.webp", images.large, save=False)
        files.remove_on_rollback(storage, locked.logo.name)
        locked.logo_thumb.save("logo.webp", images.thumb, save=False)
        files.remove_on_rollback(storage, locked.logo_thumb.name)

    return writes.versioned_update(
        account, user=user, version=None, apply=apply, validate=_no_input_to_validate
    )
