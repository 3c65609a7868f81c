"""Import and export benchmark (issue 13): how many validated account rows per second
an import writes end to end (file read, mapping, the services' checks, bulk writes with
history, one transaction), and how much memory an export of every account takes.

    .venv/bin/python bench/imports.py          # SQLite under var/bench-imports/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clientela_imports_bench \
        .venv/bin/python bench/imports.py
    BENCH_IMPORT_ROWS=100000 BENCH_FORMAT=xlsx .venv/bin/python bench/imports.py

Prints one row per measurement: name, rows, seconds, rows/s, target.
"""

import csv
import io
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
        "BENCH_VAR_DIR", str(ROOT / "var" / "bench-imports")
    )

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from clientela.accounts.models import Account  # noqa: E402
from clientela.catalogs.models import CustomerType  # noqa: E402
from clientela.imports.models import ImportRun  # noqa: E402
from clientela.imports.services import import_run_now, import_upload  # noqa: E402
from clientela.users.models import User  # noqa: E402
from clientela.users.services import assign_role  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
FORMAT = os.environ.get("BENCH_FORMAT", "csv")
TARGET = 5000

HEADER = [
    "Razón social",
    "RUC",
    "Correo electrónico",
    "Teléfono",
    "Celular",
    "Tipo de cliente",
    "Persona de contacto",
    "Ciudad",
    "Dirección",
    "Condición de pago",
    "Días de crédito",
    "Límite de crédito",
]


def rows(start: int, count: int) -> list[list[object]]:
    out: list[list[object]] = []
    for n in range(start, start + count):
        credit = n % 3 == 0
        out.append(
            [
                f"Comercial Número {n}, S.A.",
                f"{1_000_000 + n}-1-{2000 + n % 25}",
                f"ventas{n}@empresa{n % 997}.com.pa",
                f"2{(23, 26, 27, 64)[n % 4]}-{n % 10000:04d}",
                f"6{n % 1000:03d}-{(n * 7) % 10000:04d}",
                "Corporativo",
                "María Núñez",
                ["Panamá", "David", "Colón", "Santiago", "Chitré"][n % 5],
                f"Calle {n % 90}, local {n % 40}",
                "Crédito" if credit else "Contado",
                30 if credit else "",
                "2,500.00" if credit else "",
            ]
        )
    return out


def make_file(start: int) -> tuple[str, bytes]:
    data: list[list[object]] = [list(HEADER), *rows(start, ROWS)]
    if FORMAT == "xlsx":
        import xlsxwriter

        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        for r, row in enumerate(data):
            sheet.write_row(r, 0, row)
        workbook.close()
        return "cuentas.xlsx", buffer.getvalue()
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(data)
    return "cuentas.csv", text.getvalue().encode("cp1252")


def main() -> None:
    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(username="bench.importer")
    assign_role(user, "admin")
    CustomerType.objects.get_or_create(code="CORP", defaults={"name": "Corporativo"})
    existing = Account.objects.count()
    name, data = make_file(existing + 1)
    print(
        f"database: {connection.vendor}; accounts before: {existing:,}; file: {name} "
        f"{len(data) / 1e6:.1f} MB, {ROWS:,} rows"
    )
    start, cpu = time.perf_counter(), time.process_time()
    run = import_upload(
        user=user, kind="accounts", upload=SimpleUploadedFile(name, data), queue=False
    )
    run = import_run_now(run=run, commit=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert run.status == ImportRun.Status.DONE, (run.status, run.error, run.refusals[:3])
    rate = run.created / seconds
    print(
        f"{'import ' + FORMAT + ' (commit, end to end)':40} {run.created:>9,} {seconds:8.1f} s "
        f"{rate:9,.0f} rows/s   target ≥ {TARGET:,} rows/s   "
        f"(CPU of this process {cpu:.1f} s: {run.created / cpu:,.0f} rows per CPU-second; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    start = time.perf_counter()
    again = import_upload(
        user=user, kind="accounts", upload=SimpleUploadedFile(name, data), queue=False
    )
    again = import_run_now(run=again, commit=False)
    seconds = time.perf_counter() - start
    print(
        f"{'same file again (dry run: unchanged)':40} {again.unchanged:>9,} {seconds:8.1f} s "
        f"{again.unchanged / seconds:9,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
