"""Reads of the duplicates app: the review queue, merges, where a merged code went."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast

from clientela.accounts.models import Account
from clientela.contacts.models import Contact
from clientela.core.access import is_owner_scoped, scope_to_user
from clientela.users.models import User

from .kinds import spec_of
from .models import Candidate, Kind, Merge

MAX_CHAIN = 20


def merged_ids_of(record: Model, as_text: bool = False) -> QuerySet[Any] | None:
    """The ids of the records merged into `record` and not un-merged, as a subquery (as
    text for history's object ids): their history is shown on `record`'s, marked as
    merged. Merges of merges are followed three levels deep."""
    if not isinstance(record, Account | Contact):
        return None
    kind = Kind.ACCOUNT if isinstance(record, Account) else Kind.CONTACT
    live = Merge.objects.filter(kind=kind, undone_at__isnull=True)
    level1 = live.filter(survivor_id=record.pk).values("merged_id")
    level2 = live.filter(survivor_id__in=level1).values("merged_id")
    merges = live.filter(
        Q(survivor_id=record.pk) | Q(survivor_id__in=level1) | Q(survivor_id__in=level2)
    )
    if as_text:
        return merges.annotate(text_id=Cast("merged_id", CharField())).values("text_id")
    return merges.values("merged_id")


def survivor_of_code(code: str) -> Account | None:
    """The account a merged code now answers for (following merges of merges), or None."""
    for _step in range(MAX_CHAIN):
        merge = (
            Merge.objects.filter(kind=Kind.ACCOUNT, merged_code=code, undone_at__isnull=True)
            .order_by("-at")
            .first()
        )
        if merge is None:
            return None
        survivor = Account.objects.filter(pk=merge.survivor_id).first()
        if survivor is not None:
            return survivor
        code = merge.survivor_code
    return None


def merge_get(pk: int) -> Merge | None:
    return Merge.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class QueueFilters:
    kind: str = Kind.ACCOUNT
    salesperson: str = ""  # username
    country: str = ""
    min_score: float = 0.0


@dataclass
class Pair:
    candidate: Candidate
    a: Any
    b: Any
    reasons: list[str] = field(default_factory=list)


def candidate_list(user: User, filters: QueueFilters) -> QuerySet[Candidate]:
    """The pairs to review, best first, both records visible to `user`, filtered."""
    spec = spec_of(filters.kind)
    visible = scope_to_user(user, spec.model._default_manager.all())
    if filters.kind == Kind.ACCOUNT:
        if filters.salesperson:
            visible = visible.filter(salesperson__username=filters.salesperson)
        if filters.country:
            visible = visible.filter(country=filters.country)
    else:
        if filters.salesperson:
            visible = visible.filter(account__salesperson__username=filters.salesperson)
        if filters.country:
            visible = visible.filter(account__country=filters.country)
    ids = visible.values("pk")
    candidates = Candidate.objects.filter(kind=filters.kind)
    if filters.min_score:
        candidates = candidates.filter(score__gte=filters.min_score)
    if filters.salesperson or filters.country:
        # Either record of the pair in the filter.
        candidates = candidates.filter(Q(low_id__in=ids) | Q(high_id__in=ids))
    elif is_owner_scoped(user):
        candidates = candidates.filter(low_id__in=ids, high_id__in=ids)
    return candidates.order_by("-score", "id")


def pairs_of(candidates: list[Candidate], kind: str) -> list[Pair]:
    """The page's candidates with both records (one query per kind)."""
    from .matching import Reason

    spec = spec_of(kind)
    ids = {c.low_id for c in candidates} | {c.high_id for c in candidates}
    related = ("salesperson",) if kind == Kind.ACCOUNT else ("account",)
    records = spec.model._default_manager.select_related(*related).in_bulk(list(ids))
    pairs = []
    for candidate in candidates:
        a, b = records.get(candidate.low_id), records.get(candidate.high_id)
        if a is None or b is None:
            continue
        reasons = [str(Reason(r["code"], r["detail"])) for r in candidate.reasons]
        pairs.append(Pair(candidate, a, b, reasons))
    return pairs


def merges_of(record: Model) -> QuerySet[Merge]:
    kind = Kind.ACCOUNT if isinstance(record, Account) else Kind.CONTACT
    return Merge.objects.filter(kind=kind, survivor_id=record.pk).select_related("user")
