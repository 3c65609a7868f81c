"""Duplicates benchmark (issue 16): how long the background scan for duplicate accounts
takes, in full and incrementally, on a database of BENCH_DUP_ACCOUNTS accounts of which
about 1 % were entered twice under another spelling ("GRUPO RODRIGUEZ, S.A." for
"Grupo Rodríguez Corp.").

    .venv/bin/python bench/duplicates.py           # SQLite under var/bench-duplicates/
    BENCH_DUP_ACCOUNTS=100000 .venv/bin/python bench/duplicates.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientela_dup_bench \
        .venv/bin/python bench/duplicates.py

`make bench` times the same scan on its own database (bench/run.py). Prints one row per
measurement: name, accounts, seconds, pairs found, target.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CLIENTELA_TESTING", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["CLIENTELA_VAR_DIR"] = os.environ.get(
        "BENCH_VAR_DIR", str(ROOT / "var" / "bench-duplicates")
    )

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clientela.accounts.models import Account  # noqa: E402
from clientela.duplicates import scan  # noqa: E402

ACCOUNTS = int(os.environ.get("BENCH_DUP_ACCOUNTS", "100000"))
# The bound: a million accounts "in minutes"; per 100,000 accounts this many seconds.
TARGET_SECONDS_PER_100K = 120.0


def seed(accounts: int) -> None:
    call_command("migrate", verbosity=0)
    existing = Account.objects.count()
    if existing >= accounts:
        return
    started = time.perf_counter()
    print(f"seeding {accounts - existing:,} accounts…", flush=True)
    call_command(
        "seed_demo",
        accounts=accounts - existing,
        seed=16,
        contacts_per_account=0,
        opportunities_per_account=0,
        cases_per_account=0,
        documents_per_account=0,
    )
    twins = []
    for n, account in enumerate(Account.objects.order_by("pk")[: max(1, accounts // 100)]):
        twin = Account.objects.get(pk=account.pk)
        twin.pk = None
        twin.code = f"D-{n:07d}"
        twin.name = account.name.upper().replace(",", "") + " S.A."
        twin.tax_id = f"99{n:08d}"
        twin.email = f"otro{n}@correo-distinto.com"
        twin.phone = twin.phone_alt = twin.mobile = ""  # type: ignore[assignment]
        twins.append(twin)
    for twin in twins:
        twin.search_text = twin.build_search_text()
    Account.objects.bulk_create(twins, batch_size=2000)
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)


def time_scans() -> list[tuple[str, int, float, int, str]]:
    """(name, accounts, seconds, pairs, target) of a full scan, then of an incremental
    one after 1 % of the accounts changed."""
    total = Account.objects.count()
    target = TARGET_SECONDS_PER_100K * max(1.0, total / 100_000)
    started = time.perf_counter()
    full = scan.scan("account", full=True)
    full_s = time.perf_counter() - started
    changed = list(Account.objects.order_by("-pk").values_list("pk", flat=True)[: total // 100])
    with transaction.atomic():
        Account.objects.filter(pk__in=changed).update(updated_at=timezone.now())
    started = time.perf_counter()
    incremental = scan.scan("account")
    incremental_s = time.perf_counter() - started
    return [
        ("duplicate scan, full", total, full_s, full.pairs, f"≤ {target:.0f} s"),
        (
            f"duplicate scan, incremental ({len(changed):,} changed)",
            total,
            incremental_s,
            incremental.pairs,
            f"≤ {target / 10:.0f} s",
        ),
    ]


def report(rows: list[tuple[str, int, float, int, str]]) -> None:
    print("| measurement | accounts | seconds | pairs | target |")
    print("|---|---:|---:|---:|---|")
    for name, accounts, seconds, pairs, target in rows:
        print(f"| {name} | {accounts:,} | {seconds:.1f} | {pairs:,} | {target} |")


def main() -> int:
    seed(ACCOUNTS)
    report(time_scans())
    return 0


if __name__ == "__main__":
    sys.exit(main())
