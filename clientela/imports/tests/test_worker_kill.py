"""All or nothing, for real: a worker process killed (SIGKILL) while it writes an
import leaves zero rows of it, on SQLite and on PostgreSQL."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from clientela.accounts.models import Account

from .files import ACCOUNT_HEADER, account_row, csv_bytes

ROOT = Path(__file__).resolve().parents[3]
ROWS = 6000

ENQUEUE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from clientela.catalogs.models import CustomerType
from clientela.imports.services import import_upload
from clientela.users.models import User
from clientela.users.services import assign_role
CustomerType.objects.get_or_create(code="CORP", defaults={"name": "Corporativo"})
user, _ = User.objects.get_or_create(username="kill.test")
assign_role(user, "admin")
with transaction.atomic():
    run = import_upload(user=user, kind="accounts", dry_run=False,
                        upload=SimpleUploadedFile("c.csv", open(PATH, "rb").read()))
print(run.pk)
"""


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "CLIENTELA_TESTING": "1",
        "CLIENTELA_TASKS_IN_DATABASE": "1",
        "CLIENTELA_VAR_DIR": str(tmp_path / "var"),
        "CLIENTELA_IMPORT_BATCH_SIZE": "250",
        "PYTHONUNBUFFERED": "1",
    }
    if connection.vendor == "sqlite":
        # The test database lives in memory: copy it (migrated) to a file both
        # processes can open.
        path = tmp_path / "kill.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    return env


def _written(env: dict[str, str], run_id: int) -> int:
    """What the worker says it has written (the side channel it publishes to)."""
    side = Path(env["CLIENTELA_VAR_DIR"]) / "import-progress" / f"{run_id}.json"
    if side.exists():
        try:
            return int(json.loads(side.read_text())["rows_written"])
        except (ValueError, KeyError, OSError):
            return 0
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rows_written FROM imports_importrun WHERE id = %s", [run_id])
            row = cursor.fetchone()
            return int(row[0]) if row else 0
    return 0


def _accounts(env: dict[str, str]) -> int:
    if connection.vendor == "sqlite":
        path = env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as db:
            return int(db.execute("SELECT COUNT(*) FROM accounts_account").fetchone()[0])
    return Account.objects.count()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_writing_leaves_zero_rows(tmp_path):
    env = _environment(tmp_path)
    data = tmp_path / "cuentas.csv"
    data.write_bytes(csv_bytes([ACCOUNT_HEADER, *(account_row(n) for n in range(1, ROWS + 1))]))
    enqueue = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", f"PATH = {str(data)!r}\n{ENQUEUE}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    run_id = int(enqueue.stdout.strip().splitlines()[-1])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while _written(env, run_id) == 0:
            assert worker.poll() is None, "the worker stopped by itself"
            assert time.monotonic() < deadline, "the worker never started writing"
            time.sleep(0.05)
        assert _written(env, run_id) < ROWS, "the import finished before it could be killed"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert _accounts(env) == 0
    assert settings.TASKS  # the worker ran the project's one task framework
