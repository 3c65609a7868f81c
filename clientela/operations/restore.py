"""`manage.py restore PATH`: bring an installation back to exactly what a backup holds.

1. Check the archive: every member's checksum against the manifest, before touching
   anything.
2. Refuse an installation that already has users, accounts or files (unless --force):
   a restore replaces everything.
3. The database:
   - PostgreSQL archive into PostgreSQL: pg_restore (--clean, one transaction);
   - SQLite archive into SQLite: the online backup API, page by page;
   - across engines (the embedded SQLite default moving to PostgreSQL, or back): the
     target is migrated, emptied, and every table copied row by row through Django's
     fields (booleans, dates, JSON converted), with the target's id sequences moved past
     the copied ids. Both sides must be at the same migrations: upgrade first.
4. The files, written under their exact names into the configured storage (a folder or
   an object store), each checked against its sum.
5. Prove it: every table's sum and every file's sum compared with the manifest.
"""

from __future__ import annotations

import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.models import Model

from . import fingerprint
from .backup import MANIFEST, MEDIA, Manifest, applied_migrations, pg_env
from .databases import extra_database, sqlite_file


class RestoreError(Exception):
    """The archive cannot be restored here; the message says why (nothing was changed
    unless it says so)."""


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def _members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    return {member.name: member for member in archive.getmembers() if member.isfile()}


def _sum(archive: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    stream = archive.extractfile(member)
    assert stream is not None
    with stream:
        return fingerprint.file_sum(stream)[0]


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    members = _members(archive)
    if MANIFEST not in members:
        raise RestoreError("not a Clientela backup: no manifest.json")
    stream = archive.extractfile(members[MANIFEST])
    assert stream is not None
    manifest = Manifest.from_json(stream.read())
    if manifest.database_file not in members:
        raise RestoreError(f"the archive has no {manifest.database_file}")
    if _sum(archive, members[manifest.database_file]) != manifest.database_sha256:
        raise RestoreError(f"{manifest.database_file} is damaged (checksum differs)")
    for name, expected in manifest.files.items():
        member = members.get(MEDIA + name)
        if member is None or _sum(archive, member) != expected["sha256"]:
            raise RestoreError(f"the file {name} is missing or damaged in the archive")
    return manifest


def _in_use() -> list[str]:
    from clientela.accounts.models import Account
    from clientela.users.models import User

    reasons = []
    if User.objects.exists():
        reasons.append("users")
    if Account.objects.exists():
        reasons.append("accounts")
    if _all_stored():
        reasons.append("stored files")
    return reasons


def restore_backup(path: Path, *, force: bool = False) -> Restored:
    path = Path(path)
    if not path.is_file():
        raise RestoreError(f"{path} does not exist")
    with tarfile.open(path, "r") as archive:
        manifest = read_manifest(archive)
        call_command("migrate", "--noinput", verbosity=0)  # a fresh database has no tables
        in_use = _in_use()
        if in_use and not force:
            raise RestoreError(
                f"this installation already has {', '.join(in_use)}: a restore replaces "
                "everything; use --force to do so"
            )
        with tempfile.TemporaryDirectory(prefix="clientela-restore-") as tmp:
            dump = Path(tmp) / manifest.database_file
            member = archive.extractfile(manifest.database_file)
            assert member is not None
            with member, dump.open("wb") as out:
                while chunk := member.read(fingerprint.CHUNK):
                    out.write(chunk)
            _restore_database(manifest, dump)
        _restore_files(archive, manifest, force=force)
    return _verify(manifest)


# ── The database ──────────────────────────────────────────────────────────────────────────


def _restore_database(manifest: Manifest, dump: Path) -> None:
    target = connection.vendor
    connections.close_all()
    if manifest.engine == target == "postgresql":
        result = subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--no-comments",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            env=pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RestoreError(f"pg_restore failed, nothing restored: {result.stderr.strip()}")
    elif manifest.engine == target == "sqlite":
        source = sqlite3.connect(dump)
        destination = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
    else:
        _copy_across_engines(manifest, dump)


def _copy_across_engines(manifest: Manifest, dump: Path) -> None:
    if manifest.engine != "sqlite":
        raise RestoreError(
            "a PostgreSQL backup restores into PostgreSQL only (an SQLite backup restores "
            "into either)"
        )
    with extra_database("restore_source", sqlite_file(str(dump))) as source:
        if applied_migrations(source) != applied_migrations(connection.alias):
            raise RestoreError(
                "the backup and this installation are at different migrations: run the "
                "same Clientela version on both (upgrade the old one first)"
            )
        models = fingerprint.data_models()
        with connection.constraint_checks_disabled(), transaction.atomic():
            _user_triggers(models, enable=False)
            _empty(models)
            for model in models:
                _copy_table(model, source)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            _user_triggers(models, enable=True)


def _user_triggers(models: list[type[Model]], *, enable: bool) -> None:
    """Our triggers (the history's append-only guard, counters kept by triggers) off
    while rows are copied: the copy carries the counters' rows as they were, and a
    trigger counting the copied rows again would double them. Foreign-key checks are
    system triggers and stay on. PostgreSQL only: a restore into SQLite is a file copy."""
    if connection.vendor != "postgresql":
        return
    action = "ENABLE" if enable else "DISABLE"
    with connection.cursor() as cursor:
        if enable:
            # Check the copied rows' foreign keys now: a table with checks still pending
            # cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER USER")


def _empty(models: list[type[Model]]) -> None:
    """Remove what migrate put in (content types, roles, default catalogs): the backup
    holds its own copy. Only where there are rows (a fresh history table is empty, and
    on SQLite its trigger refuses deletes). Foreign keys are checked at commit
    (PostgreSQL) or not at all here (SQLite), so the order does not matter."""
    for model in reversed(models):
        if model._base_manager.exists():
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def _copy_table(model: type[Model], source: str) -> None:
    fields = list(model._meta.concrete_fields)
    batch: list[Model] = []
    size = max(1, 60_000 // max(1, len(fields)))
    for record in model._base_manager.using(source).order_by("pk").iterator(chunk_size=size):
        batch.append(record)
        if len(batch) >= size:
            _insert(model, fields, batch)
            batch = []
    if batch:
        _insert(model, fields, batch)


def _insert(model: type[Model], fields: list[Any], batch: list[Model]) -> None:
    # raw=True is what loaddata uses: values go in exactly as read, auto_now timestamps
    # and defaults are not re-applied, and no save() or signal runs.
    model._base_manager._insert(batch, fields=fields, raw=True, using=connection.alias)  # type: ignore[attr-defined]


# ── Files ─────────────────────────────────────────────────────────────────────────────────


def _restore_files(archive: tarfile.TarFile, manifest: Manifest, *, force: bool) -> None:
    if force:
        for name in _all_stored():
            if name not in manifest.files:
                default_storage.delete(name)
    for name, expected in manifest.files.items():
        stream = archive.extractfile(MEDIA + name)
        assert stream is not None
        with stream:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(stream, name=name))
        if saved != name:
            raise RestoreError(f"the storage renamed {name} to {saved}")
        with default_storage.open(name, "rb") as written:
            if fingerprint.file_sum(written)[0] != expected["sha256"]:
                raise RestoreError(f"{name} was not written intact")


def _all_stored(folder: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # a media folder not made yet: nothing stored
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for sub in folders:
        names += _all_stored(prefix + sub)
    return names


# ── Proof ─────────────────────────────────────────────────────────────────────────────────


def _verify(manifest: Manifest) -> Restored:
    connections.close_all()
    sums = fingerprint.table_sums(connection.alias)
    differing = sorted(
        table
        for table in set(sums) | set(manifest.tables)
        if sums.get(table) != manifest.tables.get(table)
    )
    if differing:
        raise RestoreError(f"restored, but these tables differ from the backup: {differing}")
    for name, expected in manifest.files.items():
        with default_storage.open(name, "rb") as stored:
            if fingerprint.file_sum(stored)[0] != expected["sha256"]:
                raise RestoreError(f"restored, but {name} differs from the backup")
    return Restored(
        tables=len(sums),
        rows=sum(table["rows"] for table in sums.values()),
        files=len(manifest.files),
    )
