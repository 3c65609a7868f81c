"""The scan for duplicates (issue 16): every record gets its blocking keys, records that
share a key are compared, and the pairs that match become candidates for the review
queue. A full scan reads each record once and never compares all pairs; afterwards an
incremental scan reads only the records changed since the last one started.

Progress is written to ScanState every chunk, so the queue page shows it while a
worker runs the scan (tasks.scan_duplicates).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import keys, matching
from .kinds import spec_of
from .models import Candidate, MatchKey, NotDuplicate, ScanState

CHUNK = 5000


def _state(kind: str) -> ScanState:
    state, _created = ScanState.objects.get_or_create(kind=kind)
    return state


def _progress(kind: str, **values: object) -> None:
    ScanState.objects.filter(kind=kind).update(**values)


def _not_duplicates(kind: str) -> set[tuple[int, int]]:
    return set(NotDuplicate.objects.filter(kind=kind).values_list("low_id", "high_id"))


def _write_candidates(kind: str, found: dict[tuple[int, int], matching.Match]) -> None:
    rows = [
        Candidate(kind=kind, low_id=low, high_id=high, score=match.score, reasons=match.as_json())
        for (low, high), match in found.items()
    ]
    Candidate.objects.bulk_create(rows, batch_size=2000)


def scan(kind: str, *, full: bool = False) -> ScanState:
    """Scan `kind` ("account" or "contact"): all records when `full` or never scanned,
    else those changed since the last scan started."""
    state = _state(kind)
    started = timezone.now()
    if full or state.last_started_at is None:
        pairs = _full_scan(kind, started)
    else:
        pairs = _incremental_scan(kind, state.last_started_at, started)
    _progress(kind, status="done", finished_at=timezone.now(), last_started_at=started, pairs=pairs)
    return _state(kind)


def _full_scan(kind: str, started: datetime) -> int:
    spec = spec_of(kind)
    records = spec.model._default_manager.all()
    total = records.count()
    _progress(kind, status="running", done=0, total=total, started_at=started, finished_at=None)
    profiles: dict[int, matching.Profile] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    batch: list[matching.Profile] = []
    with transaction.atomic():
        MatchKey.objects.filter(kind=kind).delete()
        for profile in spec.profiles(records.order_by("pk")):
            assert profile.id is not None
            profiles[profile.id] = profile
            for key in matching.blocking_keys(profile):
                blocks[key[:300]].append(profile.id)
            batch.append(profile)
            if len(batch) >= CHUNK:
                MatchKey.objects.bulk_create(keys._rows(kind, batch), batch_size=CHUNK)
                _progress(kind, done=len(profiles) // 2)
                batch = []
        MatchKey.objects.bulk_create(keys._rows(kind, batch), batch_size=CHUNK)
    skip = _not_duplicates(kind)
    found: dict[tuple[int, int], matching.Match] = {}
    seen: set[tuple[int, int]] = set()
    done_blocks = 0
    for members in blocks.values():
        done_blocks += 1
        if len(members) < 2 or len(members) > keys.MAX_BLOCK:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen or pair in skip:
                    continue
                seen.add(pair)
                match = matching.compare(profiles[pair[0]], profiles[pair[1]])
                if match is not None:
                    found[pair] = match
        if done_blocks % CHUNK == 0:
            _progress(kind, done=total // 2 + total * done_blocks // (2 * len(blocks)))
    with transaction.atomic():
        Candidate.objects.filter(kind=kind).delete()
        _write_candidates(kind, found)
    _progress(kind, done=total)
    return len(found)


def _incremental_scan(kind: str, since: datetime, started: datetime) -> int:
    spec = spec_of(kind)
    changed = list(
        spec.model._default_manager.filter(updated_at__gte=since).values_list("pk", flat=True)
    )
    _progress(
        kind, status="running", done=0, total=len(changed), started_at=started, finished_at=None
    )
    found = 0
    for start in range(0, len(changed), CHUNK):
        chunk = changed[start : start + CHUNK]
        found += rescan(kind, chunk)
        _progress(kind, done=start + len(chunk))
    return found


def rescan(kind: str, ids: Iterable[int]) -> int:
    """Refresh the keys and the candidate pairs of records `ids`: their keys are looked up
    together (a few queries for the whole chunk, not a few per record)."""
    ids = list(ids)
    spec = spec_of(kind)
    with transaction.atomic():
        keys.refresh(kind, ids)
        Candidate.objects.filter(Q(low_id__in=ids) | Q(high_id__in=ids), kind=kind).delete()
        targets = list(spec.profiles(spec.model._default_manager.filter(pk__in=ids)))
        wanted: dict[str, list[matching.Profile]] = defaultdict(list)
        for target in targets:
            for key in matching.blocking_keys(target):
                wanted[key[:300]].append(target)
        blocks: dict[str, list[int]] = defaultdict(list)
        names = list(wanted)
        for start in range(0, len(names), 500):
            chunk_keys = names[start : start + 500]
            # A name key held by too many records says nothing: never read its members.
            sizes = (
                MatchKey.objects.filter(kind=kind, key__in=chunk_keys)
                .values("key")
                .annotate(n=Count("id"))
                .values_list("key", "n")
            )
            small = [k for k, n in sizes if n <= keys.MAX_BLOCK or not k.startswith("n:")]
            rows = MatchKey.objects.filter(kind=kind, key__in=small)
            for key, record_id in rows.values_list("key", "record_id").iterator(chunk_size=5000):
                blocks[key].append(record_id)
        others: set[int] = set()
        for key, members in blocks.items():
            if len(members) <= keys.MAX_BLOCK or not key.startswith("n:"):
                others.update(members[: keys.MAX_BLOCK])
        profiles = {p.id: p for p in targets}
        missing = list(others - set(profiles))
        for start in range(0, len(missing), CHUNK):
            chunk = spec.model._default_manager.filter(pk__in=missing[start : start + CHUNK])
            profiles.update({p.id: p for p in spec.profiles(chunk)})
        skip = _not_duplicates(kind)
        found: dict[tuple[int, int], matching.Match] = {}
        for key, targets_of_key in wanted.items():
            members = blocks.get(key, [])
            if len(members) > keys.MAX_BLOCK and key.startswith("n:"):
                continue
            for target in targets_of_key:
                for other_id in members[: keys.MAX_BLOCK]:
                    assert target.id is not None
                    pair = (target.id, other_id) if target.id < other_id else (other_id, target.id)
                    if other_id == target.id or pair in found or pair in skip:
                        continue
                    other = profiles.get(other_id)
                    match = matching.compare(target, other) if other is not None else None
                    if match is not None:
                        found[pair] = match
        _write_candidates(kind, found)
    return len(found)
