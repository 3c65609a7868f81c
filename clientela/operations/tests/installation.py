"""A separate Clientela installation for tests that run real processes (workers,
gunicorn, backup and restore): its own database — an SQLite file, or a new PostgreSQL
database `clientela_prod_<random>` on the server the suite uses — and its own media
folder, migrated by `manage.py migrate` in a subprocess, dropped at the end.

The suite's own test database cannot serve: SQLite's is in memory, and pytest-django's
transaction would hide rows from other processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
from django.db import connection

from clientela.core.tests.object_store import ACCESS_KEY, REGION, SECRET_KEY, create_bucket

ROOT = Path(__file__).resolve().parents[3]
PREFIX = "clientela_prod_"


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _server_url(database: str) -> str:
    params = connection.settings_dict
    auth = params["USER"] or "postgres"
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{database}"


def _admin(sql: str) -> None:
    import psycopg

    url = dj_database_url.parse(_server_url("postgres"))
    with psycopg.connect(
        host=url["HOST"],
        port=url["PORT"],
        user=url["USER"],
        password=url["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql)


@dataclass
class Installation:
    root: Path
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def media_root(self) -> Path:
        return self.root / "media"

    @property
    def postgres(self) -> bool:
        return self.database_url.startswith("postgres")

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "CLIENTELA_", "PYTEST_", "DJANGO_", "AWS_"))
        }
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "MEDIA_ROOT": str(self.media_root),
                "CLIENTELA_VAR_DIR": str(self.root / "var"),
                "SECRET_KEY": "two-servers-share-this-key-" + self.root.name,
                "CLIENTELA_TESTING": "1",
                "CLIENTELA_TASKS_IN_DATABASE": "1",
                "LOG_FORMAT": "json",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        env.update(extra)
        return env

    def manage(
        self, *args: str, check: bool = True, **extra_env: str
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            timeout=300,
            check=check,
        )

    def popen(self, *args: str, log: Path | None = None, **extra_env: str) -> subprocess.Popen:
        out = open(log or os.devnull, "ab")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=self.env(**extra_env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Raw SQL on this installation's database (%s placeholders on both engines)."""
        if self.postgres:
            import psycopg

            url = dj_database_url.parse(self.database_url)
            with psycopg.connect(
                host=url["HOST"], port=url["PORT"], user=url["USER"], dbname=url["NAME"]
            ) as db:
                return list(db.execute(sql, params).fetchall())
        path = dj_database_url.parse(self.database_url)["NAME"]
        with sqlite3.connect(path) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    def drop(self) -> None:
        if self.postgres:
            name = dj_database_url.parse(self.database_url)["NAME"]
            assert str(name).startswith(PREFIX)
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_installation(
    root: Path,
    *,
    postgres: bool | None = None,
    migrate: bool = True,
    s3_endpoint: str | None = None,
) -> Installation:
    """An empty installation under `root` (PostgreSQL when the suite runs on it; files in
    a new bucket of the S3 server at `s3_endpoint` when given)."""
    root.mkdir(parents=True, exist_ok=True)
    if postgres is None:
        postgres = on_postgresql()
    if postgres:
        name = f"{PREFIX}{uuid.uuid4().hex[:10]}"
        _admin(f'CREATE DATABASE "{name}"')
        url = _server_url(name)
    else:
        url = f"sqlite:///{root / 'clientela.sqlite3'}"
    installation = Installation(root, url)
    if s3_endpoint:
        bucket = f"clientela-{uuid.uuid4().hex[:12]}"
        create_bucket(s3_endpoint, bucket)
        installation.extra_env = {
            "CLIENTELA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }
    installation.media_root.mkdir(exist_ok=True)
    if migrate:
        installation.manage("migrate", "--noinput", "-v0")
    return installation
