from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clientela.operations.restore import RestoreError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this installation (its DATABASE_URL and storage) "
        "and prove it: every table and file is compared with the archive's checksums. "
        "An SQLite backup restores into PostgreSQL too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="an archive written by `backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an installation that already has users, accounts or files",
        )

    def handle(self, *, path: Path, force: bool, **options: Any) -> None:
        try:
            restored = restore_backup(path, force=force)
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored and verified: {restored.tables} tables, {restored.rows} rows, "
            f"{restored.files} files"
        )
