"""The project's benchmark (`make bench`): seed a database with many accounts and time
the pages users hit most. Targets live in issues; this prints the numbers.

    BENCH_ACCOUNTS=1000000 make bench                         # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1/bench make bench
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CLIENTELA_TESTING", "1")
if "DATABASE_URL" not in os.environ:
    # Kept between runs so a million accounts are seeded once, not every time.
    os.environ["CLIENTELA_VAR_DIR"] = os.environ.get("BENCH_VAR_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from clientela.accounts.models import Account  # noqa: E402
from clientela.users.models import User  # noqa: E402
from clientela.users.roles import Role  # noqa: E402
from clientela.users.services import assign_role  # noqa: E402

ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def timed(client: Client, url: str) -> tuple[float, int, int]:
    durations = []
    queries = 0
    status = 0
    for _ in range(REPEAT):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            durations.append(time.perf_counter() - start)
        queries, status = len(ctx.captured_queries), response.status_code
    return statistics.median(durations) * 1000, queries, status


def main() -> None:
    print(f"database: {connection.vendor}; accounts wanted: {ACCOUNTS:,}")
    call_command("migrate", verbosity=0)
    existing = Account.objects.count()
    if existing < ACCOUNTS:
        start = time.perf_counter()
        call_command("seed_demo", accounts=ACCOUNTS - existing, seed=7)
        print(f"seed_demo: {ACCOUNTS - existing:,} accounts in {time.perf_counter() - start:.1f}s")
    user, _ = User.objects.get_or_create(username="bench")
    assign_role(user, Role.MANAGER)  # a manager sees every account: the widest lists
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    sample = Account.objects.order_by("id").values_list("code", "name").first()
    assert sample is not None
    pages = [
        ("account list, first page", "/accounts/"),
        ("account list, page 100", "/accounts/?page=100"),
        ("account list, sorted by city desc", "/accounts/?sort=-city"),
        ("search by accent-less name", "/accounts/?q=panama"),
        ("search by code", f"/accounts/?q={sample[0]}"),
        ("search by phone digits", "/accounts/?q=6123"),
        ("filter status + type", "/accounts/?status=suspended&customer_type=PYME"),
        ("account profile", f"/accounts/{sample[0]}/"),
        ("home", "/"),
    ]
    print(f"{'page':40} {'median ms':>10} {'queries':>8} {'status':>7}")
    for label, url in pages:
        ms, queries, status = timed(client, url)
        print(f"{label:40} {ms:10.1f} {queries:8d} {status:7d}")


if __name__ == "__main__":
    main()
