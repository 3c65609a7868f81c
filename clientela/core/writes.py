"""The one write path every service goes through (STYLE §13).

Services stay explicit functions (`contact_update(*, user, contact, data, version)`);
these helpers hold the steps they all share, so each is written once:

- `versioned_update`: lock the row, check the user may change it, check the version,
  apply the service's changes, validate, skip a save that changes nothing, bump the
  version, save, and record the history entry (and one for the account a record left);
- `create_recorded`: check, stamp, validate, save and record a new record;
- `delete_recorded`: lock, check, record and delete, or say what still depends on it;
- `full_validate`: the one way a record is validated before it is written.

Every service returns a `Saved` result: the record with the warnings the user must see
(a tax id that could not be fully checked, a credit limit passed). Views and the API
show the same warnings.
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from clientela.audit.services import record_create, record_delete, record_update, snapshot

from .access import account_of, account_path, require
from .exceptions import RecordsAttachedError, StaleVersionError

M = TypeVar("M", bound=models.Model)

# {field: (old, new)}, values as the history stores them.
Changes = dict[str, tuple[str | None, str | None]]


@dataclass(frozen=True)
class Saved(Generic[M]):
    """What a service saved: the record, what changed (empty for a save that changed
    nothing), and the warnings to show beside the success."""

    record: M
    changes: Changes = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    created: bool = False

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)

    def warn(self, *warnings: str | None) -> "Saved[M]":
        return replace(self, warnings=(*self.warnings, *(w for w in warnings if w)))


def set_fields(record: models.Model, data: dict[str, Any], allowed: Collection[str]) -> None:
    """Copy `data` onto `record`. Only `allowed` fields: a service never lets a caller
    set its system columns. A blank (None) text field is stored as ""."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in data.items():
        if value is None:
            model_field = record._meta.get_field(name)
            if (
                isinstance(model_field, models.CharField | models.TextField)
                and not model_field.null
            ):
                value = ""
        setattr(record, name, value)


def full_validate(
    record: models.Model,
    *,
    exclude: Iterable[str] = (),
    checks: Iterable[Callable[[Any], None]] = (),
) -> None:
    """Field rules and the model's clean() together (every error at once), then the
    service's own `checks` (e.g. a duplicate, with a link to the first), then the
    database constraints: a save never fails on an IntegrityError the user could have
    been told about. System-assigned unique columns (codes) are not checked here."""
    excluded = set(exclude)
    record.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
    for check in checks:
        check(record)
    record.validate_constraints(exclude=excluded)


def _account_id(record: models.Model) -> int | None:
    """The account whose history holds this record's entries."""
    path = account_path(type(record))
    if not path:
        return int(record.pk)
    if "__" not in path:
        return getattr(record, f"{path}_id", None)
    target: Any = record
    for part in path.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return int(target.pk)


def _locked(model: type[M], pk: Any) -> M:
    """The row, locked until the transaction ends, with the relations its history shows
    (one query)."""
    related = [
        f.name for f in model._meta.concrete_fields if f.many_to_one and f.name not in _STAMPS
    ]
    return (
        model._default_manager.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
    )


_STAMPS = frozenset({"created_by", "updated_by"})


def _save(record: models.Model) -> None:
    record.save()


@transaction.atomic(savepoint=False)
def versioned_update(
    record: M,
    *,
    user: Any,
    version: int | None,
    apply: Callable[[M], None],
    validate: Callable[[M], None] = full_validate,
    save: Callable[[M], None] = _save,
    action: str = "change",
) -> Saved[M]:
    """Apply a change to `record` if nobody saved it since the user loaded `version`
    (else StaleVersionError carrying the current record; None for a one-click action
    that overwrites no one's typing). `apply(locked)` sets the new values on the locked
    row and may refuse (PermissionDenied, ValidationError); `validate(locked)` defaults
    to full_validate. A change that changes nothing is not saved: no new version, no
    history entry."""
    locked = _locked(type(record), record.pk)
    require(user, action, locked)
    if version is not None and locked.version != version:  # type: ignore[attr-defined]
        raise StaleVersionError(current=locked)
    before = snapshot(locked)
    account_before = _account_id(locked)
    apply(locked)
    validate(locked)
    after = snapshot(locked)
    changes: Changes = {
        name: (before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    }
    if not changes:
        return Saved(locked)
    locked.version += 1  # type: ignore[attr-defined]
    locked.updated_by = user  # type: ignore[attr-defined]
    save(locked)
    account_now = _account_id(locked)
    record_update(user=user, instance=locked, before=before, account_id=account_now)
    if account_before is not None and account_before != account_now:
        # The account the record left keeps a trace in its own history.
        record_update(user=user, instance=locked, before=before, account_id=account_before)
    return Saved(locked, changes=changes)


@transaction.atomic(savepoint=False)
def create_recorded(
    record: M,
    *,
    user: Any,
    validate: Callable[[M], None] = full_validate,
    save: Callable[[M], None] = _save,
) -> Saved[M]:
    """Save a new record built by a service: the user must be allowed to add it (to its
    account), it is validated, saved (`save` may first give it what the system assigns,
    such as a code) and its creation is recorded."""
    account = account_of(record) if account_path(type(record)) else None
    require(user, "add", type(record), account=account)
    record.created_by = record.updated_by = user  # type: ignore[attr-defined]
    validate(record)
    save(record)
    record_create(user=user, instance=record, account_id=_account_id(record))
    return Saved(record, created=True)


@transaction.atomic(savepoint=False)
def delete_recorded(record: M, *, user: Any) -> M:
    """Delete a record the user may delete, recording its last values. Records that
    point at it (PROTECT) keep it: RecordsAttachedError names them, nothing changes.
    Returns the deleted row as it was (its files can be removed on commit)."""
    locked = _locked(type(record), record.pk)
    require(user, "delete", locked)
    record_delete(user=user, instance=locked, account_id=_account_id(locked))
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise RecordsAttachedError(
            _("“%(record)s” still has %(records)s: move or delete them first.")
            % {"record": locked, "records": ", ".join(kinds)}
        ) from None
    return locked
