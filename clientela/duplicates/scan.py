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
from django.db.models import Q
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
    """Refresh the keys and the candidate pairs of records `ids`."""
    ids = list(ids)
    spec = spec_of(kind)
    with transaction.atomic():
        keys.refresh(kind, ids)
        Candidate.objects.filter(Q(low_id__in=ids) | Q(high_id__in=ids), kind=kind).delete()
        found: dict[tuple[int, int], matching.Match] = {}
        for profile in spec.profiles(spec.model._default_manager.filter(pk__in=ids)):
            assert profile.id is not None
            for other_id, match in keys.find_matches(kind, profile, limit=50):
                pair = (profile.id, other_id) if profile.id < other_id else (other_id, profile.id)
                found[pair] = match
        _write_candidates(kind, found)
    return len(found)
