"""Merge, undo and "not duplicates" (issue 16). Every write here is one transaction: a
merge moves every related record, removes the merged record and writes one history entry,
or changes nothing at all.

    merge = record_merge(user=user, survivor=a, merged=b, values={"email": "merged"})
    merge_undo(user=user, merge=merge)
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import Account
from clientela.accounts.services import _validate as account_validate
from clientela.accounts.signals import account_renamed
from clientela.audit.models import HistoryEntry
from clientela.audit.services import snapshot
from clientela.audit.sources import source_code
from clientela.contacts.models import Contact
from clientela.core import writes
from clientela.core.access import is_owner_scoped, may, require
from clientela.users.models import User

from . import keys
from .kinds import KindSpec, spec_of
from .models import Candidate, Kind, Merge, NotDuplicate

SURVIVOR = "survivor"
MERGED = "merged"
SOURCE = "merge"


def undo_days() -> int:
    return int(getattr(settings, "CLIENTELA_MERGE_UNDO_DAYS", 30))


def kind_of(record: models.Model) -> str:
    return Kind.ACCOUNT if isinstance(record, Account) else Kind.CONTACT


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def may_merge(user: User, survivor: models.Model, merged: models.Model) -> bool:
    """Managers and administrators merge any two records they may change; a salesperson
    only two records of accounts they own both of (the role's change right says so)."""
    return may(user, "change", survivor) and may(user, "change", merged)


def _require_merge(user: User, survivor: models.Model, merged: models.Model) -> None:
    if not may_merge(user, survivor, merged):
        raise PermissionDenied("duplicates.merge")


def _plain(value: Any) -> Any:
    """JSON-safe and exact: times keep their microseconds (the JSON serializer cuts them)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _serialized(record: models.Model) -> dict[str, Any]:
    """The row as Django's serializer writes it: every column, raw (for undo)."""
    row = serializers.serialize("python", [record])[0]
    return {
        "model": row["model"],
        "pk": _plain(row["pk"]),
        "fields": {name: _plain(value) for name, value in row["fields"].items()},
    }


def _has_value(record: models.Model, name: str) -> bool:
    value = getattr(record, name)
    return value not in (None, "") and not (
        isinstance(value, models.fields.files.FieldFile) and not value.name
    )


def _copy(spec: KindSpec, survivor: models.Model, merged: models.Model, name: str) -> None:
    if name == "logo":
        survivor.logo.name = merged.logo.name  # type: ignore[attr-defined]
        survivor.logo_thumb.name = merged.logo_thumb.name  # type: ignore[attr-defined]
        return
    field = spec.model._meta.get_field(name)
    attname = getattr(field, "attname", name)
    setattr(survivor, attname, getattr(merged, attname))
    if isinstance(field, models.ForeignKey) and field.is_cached(survivor):
        # The related object cached for the survivor's old value is stale now.
        field.delete_cached_value(survivor)


def default_choice(survivor: models.Model, merged: models.Model, name: str) -> str:
    """The survivor's value, unless only the merged record has one."""
    if not _has_value(survivor, name) and _has_value(merged, name):
        return MERGED
    return SURVIVOR


def differing_fields(spec: KindSpec, a: models.Model, b: models.Model) -> list[str]:
    out = []
    for name in spec.fields:
        if name == "logo":
            if a.logo.name != b.logo.name:  # type: ignore[attr-defined]
                out.append(name)
            continue
        field = spec.model._meta.get_field(name)
        attname = getattr(field, "attname", name)
        if getattr(a, attname) != getattr(b, attname):
            out.append(name)
    return out


def _relations(model: type[models.Model]) -> list[Any]:
    """Every foreign key pointing at `model` from another app's records (ours excluded)."""
    return [
        rel
        for rel in model._meta.related_objects
        if (rel.one_to_many or rel.one_to_one) and rel.related_model._meta.app_label != "duplicates"  # type: ignore[union-attr]
    ]


def _label(rel: Any) -> str:
    return f"{rel.related_model._meta.label_lower}.{rel.field.name}"


def _rel_by_label(model: type[models.Model], label: str) -> Any:
    for rel in _relations(model):
        if _label(rel) == label:
            return rel
    raise LookupError(label)


def _lock(model: type[models.Model], *pks: int) -> dict[int, Any]:
    rows = model._default_manager.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")
    return {row.pk: row for row in rows}


def _validate(spec: KindSpec, record: models.Model) -> None:
    if spec.kind == Kind.ACCOUNT:
        account_validate(record)  # type: ignore[arg-type]
    else:
        writes.full_validate(record)


def _history_entry(
    *, user: User, record: models.Model, changes: dict[str, Any], source: str, account_id: Any
) -> None:
    HistoryEntry(
        user=user if getattr(user, "pk", None) else None,
        action=HistoryEntry.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=str(record.pk),
        object_repr=str(record)[:250],
        account_id=account_id,
        changes=changes,
        source=source,
    ).save()


def _account_id_of(record: models.Model) -> Any:
    return record.pk if isinstance(record, Account) else getattr(record, "account_id", None)


def _moved_summary(moved: dict[str, list[int]]) -> str:
    parts = []
    for label, ids in moved.items():
        if ids:
            model = _model_of(label)
            parts.append(f"{model._meta.verbose_name_plural}: {len(ids)}")
    return ", ".join(parts) or "—"


def _model_of(label: str) -> type[models.Model]:
    from django.apps import apps

    app_model = label.rsplit(".", 1)[0]
    return apps.get_model(app_model)


def _refresh_related(spec: KindSpec, *records: models.Model) -> None:
    """Copies of the record's name and code in its related records (search, sorting)."""
    for record in records:
        if spec.kind == Kind.ACCOUNT:
            account_renamed.send(sender=Account, account=record)
        else:
            from clientela.cases.models import Case

            for case in Case.objects.filter(contact_id=record.pk).select_related(
                "account", "contact"
            ):
                Case.objects.filter(pk=case.pk).update(search_text=case.build_search_text())


@transaction.atomic
def record_merge(
    *,
    user: User,
    survivor: models.Model,
    merged: models.Model,
    values: dict[str, str] | None = None,
) -> Merge:
    """Merge `merged` into `survivor`: for each field in `values` ("survivor" or "merged";
    default `default_choice`), every related record moves to the survivor, the merged
    record is removed (its code answers 301 for ever), one history entry says it all."""
    spec = spec_of(kind_of(survivor))
    if type(merged) is not spec.model:
        raise ValidationError(_("Only two records of the same kind can be merged."))
    if survivor.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    values = values or {}
    unknown = set(values) - set(spec.fields)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be chosen in a merge.") for name in sorted(unknown)}
        )
    bad = {name for name, choice in values.items() if choice not in (SURVIVOR, MERGED)}
    if bad:
        raise ValidationError({name: _("Choose “survivor” or “merged”.") for name in sorted(bad)})
    locked = _lock(spec.model, survivor.pk, merged.pk)
    if len(locked) != 2:
        raise ValidationError(_("One of the records no longer exists."))
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    _require_merge(user, survivor, merged)

    history_before = snapshot(survivor)
    merged_history = snapshot(merged)
    survivor_row = _serialized(survivor)
    merged_row = _serialized(merged)
    merged_label = str(merged)[:250]
    choices = {
        name: values.get(name) or default_choice(survivor, merged, name) for name in spec.fields
    }

    unset_primary: list[int] = []
    # One primary contact per account: the survivor's stays; the merged one's becomes an
    # ordinary contact (and primary again if the merge is undone).
    if (
        spec.kind == Kind.ACCOUNT
        and Contact.objects.filter(account_id=survivor.pk, is_primary=True).exists()
    ):
        unset_primary = list(
            Contact.objects.filter(account_id=merged.pk, is_primary=True).values_list(
                "pk", flat=True
            )
        )
        Contact.objects.filter(pk__in=unset_primary).update(is_primary=False)

    moved: dict[str, list[int]] = {}
    for rel in _relations(spec.model):
        related = rel.related_model._default_manager.filter(**{rel.field.name: merged})
        ids = list(related.order_by("pk").values_list("pk", flat=True))
        if ids:
            rel.related_model._default_manager.filter(pk__in=ids).update(
                **{rel.field.name: survivor}
            )
        moved[_label(rel)] = ids

    for name, choice in choices.items():
        if choice == MERGED:
            _copy(spec, survivor, merged, name)
    merged.delete()
    if spec.kind == Kind.CONTACT and survivor.is_primary and survivor.account_id:  # type: ignore[attr-defined]
        others = Contact.objects.filter(account_id=survivor.account_id, is_primary=True).exclude(  # type: ignore[attr-defined]
            pk=survivor.pk
        )
        unset_primary = list(others.values_list("pk", flat=True))
        others.update(is_primary=False)
    _validate(spec, survivor)
    survivor.version += 1  # type: ignore[attr-defined]
    survivor.updated_by = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            survivor.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("The merged record breaks a rule: %(error)s") % {"error": exc}
        ) from None
    survivor_after = _serialized(survivor)
    survivor_changes = {
        name: [survivor_row["fields"].get(name), value]
        for name, value in survivor_after["fields"].items()
        if survivor_row["fields"].get(name) != value
    }
    history_after = snapshot(survivor)
    merge = Merge.objects.create(
        kind=spec.kind,
        survivor_id=survivor.pk,
        survivor_label=str(survivor)[:250],
        survivor_code=getattr(survivor, "code", ""),
        merged_id=merged_row["pk"],
        merged_label=merged_label,
        merged_code=merged_row["fields"].get("code", ""),
        merged_row=merged_row,
        survivor_changes=survivor_changes,
        moved=moved,
        unset_primary=unset_primary,
        history={
            name: [history_before.get(name), merged_history.get(name), choice]
            for name, choice in choices.items()
            if name in history_before and history_before.get(name) != merged_history.get(name)
        },
        user=user,
    )
    changes: dict[str, Any] = {
        name: [history_before.get(name), new]
        for name, new in history_after.items()
        if history_before.get(name) != new
    }
    changes["merged_record"] = [merged_label, None]
    changes["moved_records"] = [None, _moved_summary(moved)]
    _history_entry(
        user=user,
        record=survivor,
        changes=changes,
        source=source_code(SOURCE, merge.pk),
        account_id=_account_id_of(survivor),
    )
    _refresh_related(spec, survivor)
    keys.forget(spec.kind, merged_row["pk"])
    keys.refresh(spec.kind, [survivor.pk])
    return merge


def undo_refusal(merge: Merge) -> str:
    """Why `merge` cannot be undone now ("" when it can)."""
    if merge.undone_at is not None:
        return _("This merge was already undone.")
    if merge.at < timezone.now() - timedelta(days=undo_days()):
        return _("A merge can be undone for %(days)s days only.") % {"days": undo_days()}
    spec = spec_of(merge.kind)
    if not spec.model._default_manager.filter(pk=merge.survivor_id).exists():
        return _("The surviving record “%(record)s” was deleted.") % {
            "record": merge.survivor_label
        }
    if spec.model._default_manager.filter(pk=merge.merged_id).exists():
        return _("The merged record exists again.")
    for label, ids in merge.moved.items():
        if not ids:
            continue
        rel = _rel_by_label(spec.model, label)
        manager = rel.related_model._default_manager
        present = set(
            manager.filter(pk__in=ids, **{f"{rel.field.name}_id": merge.survivor_id}).values_list(
                "pk", flat=True
            )
        )
        missing = [pk for pk in ids if pk not in present]
        if missing:
            name = rel.related_model._meta.verbose_name
            record = manager.filter(pk=missing[0]).first()
            if record is None:
                return _("The %(kind)s #%(id)s that the merge moved was deleted since.") % {
                    "kind": name,
                    "id": missing[0],
                }
            return _("The %(kind)s “%(record)s” that the merge moved belongs elsewhere now.") % {
                "kind": name,
                "record": record,
            }
    return ""


@transaction.atomic
def merge_undo(*, user: User, merge: Merge) -> Merge:
    """Bring the merged record back with its code, its own values and exactly the records
    it had; the survivor gets back what the merge changed unless changed since. Refused
    with the reason (ValidationError), changing nothing, when that is not possible."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    spec = spec_of(merge.kind)
    survivor = _lock(spec.model, merge.survivor_id).get(merge.survivor_id)
    if survivor is not None:
        require(user, "change", survivor)
        owner = merge.merged_row.get("fields", {}).get("salesperson")
        if merge.kind == Kind.ACCOUNT and is_owner_scoped(user) and owner != user.pk:
            raise PermissionDenied("duplicates.undo")
    reason = undo_refusal(merge)
    if reason:
        raise ValidationError(reason, code="undo_refused")
    assert survivor is not None
    history_before = snapshot(survivor)
    current = _serialized(survivor)["fields"]
    for name, (before, after) in merge.survivor_changes.items():
        if current.get(name) != after:
            continue  # changed since the merge: the later change stays
        field: Any = spec.model._meta.get_field(name)
        if isinstance(field, models.FileField):
            getattr(survivor, name).name = before or ""
        else:
            setattr(survivor, field.attname, None if before is None else field.to_python(before))
            if isinstance(field, models.ForeignKey) and field.is_cached(survivor):
                field.delete_cached_value(survivor)
    restored = next(serializers.deserialize("python", [merge.merged_row]))
    back: Any = restored.object
    if spec.kind == Kind.ACCOUNT:
        clash = (
            Account.objects.filter(country=back.country, tax_id=back.tax_id)
            .exclude(pk=survivor.pk)
            .first()
        )
        if clash is None and (survivor.country, survivor.tax_id) == (back.country, back.tax_id):
            clash = survivor
        if clash is not None:
            raise ValidationError(
                _("The tax id of %(code)s is now used by %(other)s.")
                % {"code": merge.merged_code, "other": clash},
                code="undo_refused",
            )
    if spec.kind == Kind.CONTACT and back.is_primary:
        # Its account took another primary since: it comes back as an ordinary contact.
        others = Contact.objects.filter(account_id=back.account_id, is_primary=True)
        survivor_primary = survivor.is_primary and survivor.account_id == back.account_id
        if survivor_primary or others.exclude(pk=survivor.pk).exists():
            back.is_primary = False
    survivor.version += 1
    survivor.updated_by = user
    try:
        with transaction.atomic():
            survivor.save()
            back.version += 1
            created_at = back.created_at
            back.save(force_insert=True)
            # auto_now_add stamped it anew: the record keeps its own creation time.
            spec.model._default_manager.filter(pk=back.pk).update(created_at=created_at)
            for label, ids in merge.moved.items():
                if ids:
                    rel = _rel_by_label(spec.model, label)
                    rel.related_model._default_manager.filter(pk__in=ids).update(
                        **{rel.field.name: back}
                    )
            for contact_id in merge.unset_primary:
                contact = Contact.objects.filter(pk=contact_id).first()
                if contact is not None and (
                    contact.account_id is None
                    or not Contact.objects.filter(
                        account_id=contact.account_id, is_primary=True
                    ).exists()
                ):
                    Contact.objects.filter(pk=contact_id).update(is_primary=True)
    except IntegrityError as exc:
        raise ValidationError(
            _("The merge cannot be undone: %(error)s") % {"error": exc}, code="undo_refused"
        ) from None
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])
    changes: dict[str, Any] = {
        name: [history_before.get(name), new]
        for name, new in snapshot(survivor).items()
        if history_before.get(name) != new
    }
    changes["merge_undone"] = [merge.merged_label, None]
    source = source_code(SOURCE, merge.pk)
    _history_entry(
        user=user,
        record=survivor,
        changes=changes,
        source=source,
        account_id=_account_id_of(survivor),
    )
    back = spec.model._default_manager.get(pk=back.pk)
    _history_entry(
        user=user,
        record=back,
        changes={"merge_undone": [None, merge.survivor_label]},
        source=source,
        account_id=_account_id_of(back),
    )
    _refresh_related(spec, survivor, back)
    keys.refresh(spec.kind, [survivor.pk, back.pk])
    return merge


@transaction.atomic
def mark_not_duplicates(*, user: User, kind: str, a: int, b: int) -> NotDuplicate:
    """Remember that two records are different: the pair is never proposed again."""
    low, high = _pair(a, b)
    if low == high:
        raise ValidationError(_("A record cannot be merged with itself."))
    spec = spec_of(kind)
    records = list(spec.model._default_manager.filter(pk__in=(low, high)))
    if len(records) != 2:
        raise ValidationError(_("One of the records no longer exists."))
    for record in records:
        require(user, "change", record)
    Candidate.objects.filter(kind=kind, low_id=low, high_id=high).delete()
    entry, _created = NotDuplicate.objects.get_or_create(
        kind=kind, low_id=low, high_id=high, defaults={"user": user}
    )
    return entry
