"""Export memory benchmark (issue 13): the server's memory while a list of a million
accounts is exported as CSV and as XLSX (target: under 200 MiB).

    .venv/bin/python bench/exports.py                 # SQLite under var/bench-imports/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientela_imports_bench \\
        .venv/bin/python bench/exports.py
    BENCH_EXPORT_ACCOUNTS=1000000 (default)

Each export runs in a fresh process (as a web worker would serve it) that reads the whole
response; its peak resident memory (ru_maxrss) is what is reported, beside the memory of
the same process before the export started.
"""

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CLIENTELA_TESTING", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["CLIENTELA_VAR_DIR"] = os.environ.get(
        "BENCH_VAR_DIR", str(ROOT / "var" / "bench-imports")
    )

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from clientela.accounts.models import Account  # noqa: E402

ACCOUNTS = int(os.environ.get("BENCH_EXPORT_ACCOUNTS", "1000000"))
TARGET_MIB = 200


def fill(wanted: int) -> None:
    """Copies of one account (own code, name and tax id) until there are `wanted`."""
    have = Account.objects.count()
    if have >= wanted:
        return
    template = Account.objects.order_by("pk").first()
    if template is None:
        sys.exit("no account to copy: run bench/imports.py first")
    missing = wanted - have
    fields = [f for f in Account._meta.concrete_fields if f.column != "id"]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    concat = "||"
    made = {
        "code": f"'B-' {concat} n",
        "tax_id": f"'BENCH-' {concat} n",
        "name": f"'Cuenta de prueba ' {concat} n",
    }
    values = ", ".join(made.get(f.column, f"a.{quote(f.column)}") for f in fields)
    table = quote(Account._meta.db_table)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        offset = int(cursor.fetchone()[0])
        if connection.vendor == "postgresql":
            series = "generate_series(%s, %s) AS s(n)"
        else:
            series = (
                "(WITH RECURSIVE s(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM s "
                "WHERE n < %s) SELECT n FROM s) AS s"
            )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} a, {series} "  # noqa: S608
            "WHERE a.id = %s",
            [offset + 1, offset + missing, template.pk],
        )
    print(f"added {missing:,} accounts in {time.perf_counter() - start:.0f} s")


def child(fmt: str) -> None:
    """One export, read to the end as a client would; prints rows, bytes, MiB."""
    from django.http import QueryDict

    from clientela.imports.selectors import export_source
    from clientela.imports.views import export_response
    from clientela.users.models import User

    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench.export", "bench@example.com", None
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    response = export_response(export_source("accounts", user, QueryDict("status=all")), fmt)
    size = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{size} {seconds:.1f} {before:.0f} {peak:.0f}")


def main() -> None:
    fill(ACCOUNTS)
    total = Account.objects.count()
    print(f"database: {connection.vendor}; accounts: {total:,}")
    for fmt in ("csv", "xlsx"):
        out = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--child", fmt],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        ).stdout.split()
        size, seconds, before, peak = int(out[0]), float(out[1]), float(out[2]), float(out[3])
        verdict = "ok" if peak < TARGET_MIB else "OVER"
        print(
            f"export {fmt:5} {total:>10,} rows {size / 1e6:8.0f} MB {seconds:7.0f} s   "
            f"peak memory {peak:5.0f} MiB (before export {before:.0f} MiB)   "
            f"target < {TARGET_MIB} MiB: {verdict}"
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
