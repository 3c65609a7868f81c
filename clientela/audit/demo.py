"""The demo records' history, so the demo's "Historial" panels are not empty.

`seed_demo` calls `seed_history` after every module's seeder: one "created" entry for
each new account and each of its records (the models the seeders fill), built by
`create_entry` like a real creation, attributed to whoever the record says created it
(else the account's salesperson) and dated before now; a third of the accounts also
get a later change of priority. Written through the bulk path, in batches, with the
related names each entry shows loaded with the records (no query per row).

A large seeding (the benchmark's million accounts) skips it: see seed_demo --history.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from clientela.accounts.models import Account
from clientela.core.bulk import bulk_insert

from .models import HistoryEntry
from .services import create_entry, snapshot, update_entry

# How far back the demo story starts: accounts were created within these days.
ACCOUNT_AGE_DAYS = (60, 720)
CHUNK = 2000


def seed_history(
    accounts: QuerySet[Account], models_: Iterable[type[models.Model]], rng: random.Random
) -> int:
    """History entries for `accounts` and their records of `models_`; returns how many."""
    now = timezone.now()
    # When each account "was created": its records come after it, and before now.
    born: dict[int, datetime] = {}
    # The accounts as loaded once: each record's entry names its account without loading
    # it again (an account row is the costliest to load: three phones parsed).
    loaded: dict[int, Account] = {}
    written = bulk_insert(HistoryEntry, _account_entries(accounts, rng, now, born, loaded))
    for model in models_:
        written += bulk_insert(
            HistoryEntry, _record_entries(model, accounts, rng, now, born, loaded)
        )
    return written


def _related_names(model: type[models.Model]) -> list[str]:
    """The foreign keys whose names the entries show (snapshot prints them)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.name not in ("created_by", "updated_by")
    ]


def _account_entries(
    accounts: QuerySet[Account],
    rng: random.Random,
    now: datetime,
    born: dict[int, datetime],
    loaded: dict[int, Account],
) -> Iterator[HistoryEntry]:
    rows = accounts.select_related(*_related_names(Account)).order_by("pk")
    for account in rows.iterator(chunk_size=CHUNK):
        loaded[account.pk] = account
        at = now - timedelta(
            days=rng.randint(*ACCOUNT_AGE_DAYS), minutes=rng.randint(0, 24 * 60 - 1)
        )
        born[account.pk] = at
        user_id = account.created_by_id or account.salesperson_id
        changed = rng.random() < 1 / 3
        if not changed:
            yield _dated(
                create_entry(user=None, instance=account, account_id=account.pk), at, user_id
            )
            continue
        # Created with another priority, raised or lowered some weeks later.
        current = account.priority
        account.priority = rng.choice([p for p in Account.Priority.values if p != current])
        before = snapshot(account)
        yield _dated(create_entry(user=None, instance=account, account_id=account.pk), at, user_id)
        account.priority = current
        later = at + (now - at) * rng.uniform(0.2, 0.9)
        entry = update_entry(user=None, instance=account, before=before, account_id=account.pk)
        if entry is not None:
            yield _dated(entry, later, account.salesperson_id)


def _account_of(model: type[models.Model]) -> str:
    """The path from a record to its account id ("account_id", "case__account_id")."""
    path = getattr(model, "account_path", "account")
    return f"{path}_id"


def _record_entries(
    model: type[models.Model],
    accounts: QuerySet[Account],
    rng: random.Random,
    now: datetime,
    born: dict[int, datetime],
    loaded: dict[int, Account],
) -> Iterator[HistoryEntry]:
    path = getattr(model, "account_path", "account")
    owners = dict(accounts.values_list("pk", "salesperson_id"))
    related = _related_names(model)
    reuse_account = path == "account" and "account" in related
    rows = (
        model._default_manager.filter(**{f"{path}__in": accounts})
        .select_related(*(name for name in related if not (reuse_account and name == "account")))
        .annotate(_history_account=models.F(_account_of(model)))
        .order_by("pk")
    )
    for record in rows.iterator(chunk_size=CHUNK):
        account_id = record._history_account
        if reuse_account:
            record.account = loaded[account_id]
        start = born.get(account_id, now - timedelta(days=ACCOUNT_AGE_DAYS[0]))
        created = getattr(record, "created_at", None)
        if created is not None and start < created < now - timedelta(hours=1):
            # A record with its own past (a case opened months ago) keeps it.
            at = created
        else:
            at = start + (now - start) * rng.uniform(0.05, 0.95)
        user_id = getattr(record, "created_by_id", None) or owners.get(account_id)
        entry = create_entry(user=None, instance=record, account_id=account_id)
        yield _dated(entry, at, user_id)


def _dated(entry: HistoryEntry, at: datetime, user_id: Any) -> HistoryEntry:
    entry.at = at
    entry.user_id = user_id
    return entry
