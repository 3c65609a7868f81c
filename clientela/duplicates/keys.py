"""The blocking keys of each record (MatchKey), kept as records change, and the lookup
of likely matches of one record or of a form being typed."""

from collections.abc import Iterable

from django.db.models import Q

from . import matching
from .kinds import spec_of
from .models import Candidate, MatchKey, NotDuplicate

# A key shared by more records than this is too common to say anything (a city's name in
# many company names): the scan and the lookup skip it.
MAX_BLOCK = 100
# At most this many records read per lookup.
MAX_LOOKUP = 400


def _rows(kind: str, profiles: Iterable[matching.Profile]) -> list[MatchKey]:
    return [
        MatchKey(kind=kind, record_id=p.id, key=key[:300])
        for p in profiles
        if p.id is not None
        for key in sorted(matching.blocking_keys(p))
    ]


def refresh(kind: str, ids: Iterable[int]) -> None:
    """Recompute the keys of records `ids` (after a save, a merge, an undo)."""
    ids = [pk for pk in ids if pk is not None]
    if not ids:
        return
    spec = spec_of(kind)
    MatchKey.objects.filter(kind=kind, record_id__in=ids).delete()
    profiles = list(spec.profiles(spec.model._default_manager.filter(pk__in=ids)))
    MatchKey.objects.bulk_create(_rows(kind, profiles), batch_size=2000)


def forget(kind: str, record_id: int) -> None:
    MatchKey.objects.filter(kind=kind, record_id=record_id).delete()
    Candidate.objects.filter(Q(low_id=record_id) | Q(high_id=record_id), kind=kind).delete()


def not_duplicate_ids(kind: str, record_id: int | None) -> set[int]:
    if record_id is None:
        return set()
    pairs = NotDuplicate.objects.filter(
        Q(low_id=record_id) | Q(high_id=record_id), kind=kind
    ).values_list("low_id", "high_id")
    return {low if high == record_id else high for low, high in pairs}


def find_matches(
    kind: str, target: matching.Profile, *, limit: int = 5
) -> list[tuple[int, matching.Match]]:
    """Existing records that look like `target` (a record or a form being typed), best
    first, never `target` itself nor a pair marked "not duplicates"."""
    spec = spec_of(kind)
    keys = [k[:300] for k in matching.blocking_keys(target)]
    if not keys:
        return []
    ids: set[int] = set()
    for key in keys:
        block = list(
            MatchKey.objects.filter(kind=kind, key=key).values_list("record_id", flat=True)[
                : MAX_BLOCK + 1
            ]
        )
        if len(block) <= MAX_BLOCK or not key.startswith("n:"):
            ids.update(block[:MAX_BLOCK])
        if len(ids) >= MAX_LOOKUP:
            break
    ids.discard(target.id)  # type: ignore[arg-type]
    ids -= not_duplicate_ids(kind, target.id)
    found = []
    for other in spec.profiles(spec.model._default_manager.filter(pk__in=ids)):
        match = matching.compare(target, other)
        if match is not None and other.id is not None:
            found.append((other.id, match))
    found.sort(key=lambda item: (-item[1].score, item[0]))
    return found[:limit]
