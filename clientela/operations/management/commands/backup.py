from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clientela.operations.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write one consistent archive of the database and every stored file (logos, "
        "documents), with a manifest of checksums. Safe while users work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to write, e.g. backup.tar")

    def handle(self, *, path: Path, **options: Any) -> None:
        manifest = write_backup(path)
        rows = sum(table["rows"] for table in manifest.tables.values())
        self.stdout.write(
            f"{path}: {manifest.engine}, {len(manifest.tables)} tables, {rows} rows, "
            f"{len(manifest.files)} files"
        )
        for name in manifest.missing_files:
            self.stderr.write(f"missing (deleted while the backup ran?): {name}")
