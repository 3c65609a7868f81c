"""Every write to an account goes through here: atomic, validated with full_clean()."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from clientela.audit.services import record_create, record_delete, record_update, snapshot
from clientela.core.access import may, require
from clientela.core.exceptions import StaleVersionError
from clientela.core.sequences import format_code, sequence_next
from clientela.users.models import User

from . import logo as logo_images
from .models import CODE_PREFIX, CODE_SEQUENCE, Account
from .signals import account_renamed

# What a form or API client may set; code, version, logo and audit columns are not here.
EDITABLE_FIELDS = frozenset(
    {
        "person_kind",
        "name",
        "tax_id",
        "tax_dv",
        "contact_name",
        "email",
        "phone",
        "phone_alt",
        "mobile",
        "website",
        "address",
        "city",
        "state",
        "country",
        "customer_type",
        "priority",
        "economic_activity",
        "price_list",
        "taxable",
        "status",
        "salesperson",
        "payment_terms",
        "credit_days",
        "credit_limit",
        "ledger_account",
        "is_supplier",
    }
)


class DuplicateTaxIdError(ValidationError):
    """The tax id belongs to another account of the same country; carries its code."""

    def __init__(self, existing_code: str) -> None:
        super().__init__(
            {
                "tax_id": ValidationError(
                    _("This tax id is already registered to account %(code)s."),
                    code="duplicate",
                    params={"code": existing_code},
                )
            }
        )
        self.existing_code = existing_code


def _apply(account: Account, data: dict[str, Any]) -> None:
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for field, value in data.items():
        setattr(account, field, value)


def _check_duplicate_tax_id(account: Account) -> None:
    duplicate = (
        Account.objects.filter(country=account.country, tax_id=account.tax_id)
        .exclude(pk=account.pk)
        .values_list("code", flat=True)
        .first()
    )
    if duplicate:
        raise DuplicateTaxIdError(duplicate)


def _validate(account: Account) -> None:
    # Normalize the tax id first (clean()), then compare normalized forms.
    account.full_clean(validate_constraints=False)
    _check_duplicate_tax_id(account)
    account.validate_constraints()


def _save(account: Account) -> None:
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        # A concurrent save took the tax id between our check and our insert.
        _check_duplicate_tax_id(account)
        raise


def _require_reassign(user: User, salesperson: Any) -> None:
    """Only managers and administrators give an account to someone else."""
    if (
        salesperson is not None
        and salesperson != user
        and not may(user, "accounts.reassign_account")
    ):
        raise PermissionDenied("accounts.reassign_account")


@transaction.atomic
def account_create(*, user: User, data: dict[str, Any]) -> Account:
    require(user, "accounts.add_account")
    _require_reassign(user, data.get("salesperson"))
    account = Account(created_by=user, updated_by=user)
    data = {"salesperson": user, **{k: v for k, v in data.items() if v is not None}}
    _apply(account, data)
    _validate(account)
    account.code = format_code(CODE_PREFIX, sequence_next(CODE_SEQUENCE))
    _save(account)
    record_create(user=user, instance=account, account_id=account.pk)
    return account


@transaction.atomic
def account_update(*, user: User, account: Account, data: dict[str, Any], version: int) -> Account:
    """Apply `data` if nobody saved since the user loaded `version`; else StaleVersionError."""
    locked = Account.objects.select_for_update().get(pk=account.pk)
    require(user, "accounts.change_account", locked)
    if locked.version != version:
        raise StaleVersionError(current=locked)
    if data.get("salesperson") is None:
        # A blank salesperson on edit means "leave it"; an account always has one.
        data = {k: v for k, v in data.items() if k != "salesperson"}
    elif data["salesperson"] != locked.salesperson:
        require(user, "accounts.reassign_account")
    before = snapshot(locked)
    _apply(locked, data)
    _validate(locked)
    locked.version += 1
    locked.updated_by = user
    _save(locked)
    record_update(user=user, instance=locked, before=before, account_id=locked.pk)
    if before.get("name") != locked.name:
        account_renamed.send(sender=Account, account=locked)
    return locked


@transaction.atomic
def account_delete(*, user: User, account: Account) -> None:
    """Delete an account that has nothing attached. Contacts, opportunities, cases and
    documents protect it: they are never lost silently with their account."""
    locked = Account.objects.select_for_update().get(pk=account.pk)
    require(user, "accounts.delete_account", locked)
    files = [name for name in (locked.logo.name, locked.logo_thumb.name) if name]
    storage = locked.logo.storage
    record_delete(user=user, instance=locked, account_id=locked.pk)
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("This account still has %(records)s; move or delete them first."),
            code="protected",
            params={"records": ", ".join(kinds)},
        ) from None
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


@transaction.atomic
def account_set_logo(*, user: User, account: Account, upload: Any) -> Account:
    """Validate, re-encode and store a new logo; the old files go once the change commits."""
    locked = Account.objects.select_for_update().get(pk=account.pk)
    require(user, "accounts.change_account", locked)
    images = logo_images.process_logo(upload)
    before = snapshot(locked)
    old_names = [name for name in (locked.logo.name, locked.logo_thumb.name) if name]
    locked.logo.save("logo.webp", images.large, save=False)
    locked.logo_thumb.save("logo.webp", images.thumb, save=False)
    new_names = [locked.logo.name, locked.logo_thumb.name]
    storage = locked.logo.storage
    locked.version += 1
    locked.updated_by = user
    try:
        locked.save(update_fields=["logo", "logo_thumb", "version", "updated_by", "updated_at"])
    except Exception:
        # The files just written would be orphans: remove them before giving up.
        for name in new_names:
            storage.delete(name)
        raise
    record_update(user=user, instance=locked, before=before, account_id=locked.pk)
    transaction.on_commit(lambda: [storage.delete(name) for name in old_names])
    return locked
