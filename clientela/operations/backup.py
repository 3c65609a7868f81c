"""`manage.py backup PATH`: one archive (a tar file) that restores an installation.

    manifest.json      what is inside, with checksums (format, engine, migrations,
                       one sum per table, one per file)
    database.dump      PostgreSQL: pg_dump's custom format    } one consistent
    database.sqlite3   SQLite: a copy by the online backup API } snapshot
    media/<name>       every logo and document a row names, from whichever storage

Consistency: on PostgreSQL the table sums, the list of files and pg_dump all read one
exported snapshot (REPEATABLE READ + pg_export_snapshot), while users keep working. On
SQLite the online backup API copies the database while it is in use, and everything
else is read from that copy. Stored files are never changed in place (each upload gets
a new random name), so copying them after the snapshot is safe; a file deleted in
between is listed under "missing" and the command says so.

The archive is written beside PATH and renamed into place at the end: a failed backup
never leaves a half archive under the name of a good one.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import fingerprint
from .databases import extra_database, sqlite_file

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media/"


@dataclass
class Manifest:
    engine: str
    database_file: str
    migrations: list[list[str]]
    tables: dict[str, dict[str, Any]]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    database_sha256: str = ""
    created_at: str = ""
    format: int = FORMAT

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        values = json.loads(data)
        if values.get("format") != FORMAT:
            raise ValueError(f"unknown backup format {values.get('format')!r}")
        return cls(**values)


def pg_env(params: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore: no password on a command line."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder.Migration.objects.using(using)
    return sorted([app, name] for app, name in recorder.values_list("app", "name"))


@contextmanager
def _postgresql_snapshot(workdir: Path) -> Iterator[tuple[str, Path]]:
    dump = workdir / PG_DUMP
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],  # noqa: S607
            env=pg_env(connection.settings_dict),
            check=True,
            capture_output=True,
        )
        yield connection.alias, dump


@contextmanager
def _sqlite_snapshot(workdir: Path) -> Iterator[tuple[str, Path]]:
    copy = workdir / SQLITE_COPY
    connection.ensure_connection()
    raw = connection.connection
    target = sqlite3.connect(copy)
    try:
        raw.backup(target)
        # One self-contained file, whatever journal mode the live database uses.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    with extra_database("backup_snapshot", sqlite_file(str(copy))) as alias:
        yield alias, copy


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _add_stream(archive: tarfile.TarFile, name: str, path: Path) -> None:
    archive.add(str(path), arcname=name, recursive=False)


def write_backup(path: Path) -> Manifest:
    """Write the archive to `path` and return its manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    snapshot = _postgresql_snapshot if connection.vendor == "postgresql" else _sqlite_snapshot
    with tempfile.TemporaryDirectory(prefix="clientela-backup-") as tmp:
        workdir = Path(tmp)
        partial = path.with_name(f".{path.name}.partial")
        try:
            with tarfile.open(partial, "w") as archive, snapshot(workdir) as (alias, dump):
                # Archived before anything reads it through Django: opening an SQLite
                # file sets its journal mode, which changes its bytes.
                with dump.open("rb") as stream:
                    database_sha256, _size = fingerprint.file_sum(stream)
                _add_stream(archive, dump.name, dump)
                manifest = Manifest(
                    engine=connection.vendor,
                    database_file=dump.name,
                    database_sha256=database_sha256,
                    migrations=applied_migrations(alias),
                    tables=fingerprint.table_sums(alias),
                    created_at=datetime.datetime.now(datetime.UTC).isoformat(),
                )
                for name in fingerprint.referenced_files(alias):
                    _copy_file(archive, name, manifest)
                _add_bytes(archive, MANIFEST, manifest.as_json())
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _copy_file(archive: tarfile.TarFile, name: str, manifest: Manifest) -> None:
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        manifest.missing_files.append(name)
        return
    with stored, tempfile.TemporaryFile() as spool:
        # Through a local spool: tar needs the size before the bytes, and an object
        # store's stream does not say it reliably.
        digest, size = fingerprint.file_sum(_Tee(stored, spool))
        spool.seek(0)
        info = tarfile.TarInfo(MEDIA + name)
        info.size = size
        info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
        archive.addfile(info, spool)
    manifest.files[name] = {"sha256": digest, "size": size}


class _Tee:
    """Reads from `source`, writing what it reads to `copy`."""

    def __init__(self, source: Any, copy: Any) -> None:
        self.source, self.copy = source, copy

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.copy.write(data)
        return bytes(data)
