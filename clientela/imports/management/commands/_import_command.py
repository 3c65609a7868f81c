"""What import_accounts and import_contacts share (SPEC §11): one summary line
`created N, updated N, unchanged N, refused N`; when a row is refused, nothing is written,
each refused row is listed (line, column, message) and the exit status is 1."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from clientela.imports.models import ImportRun
from clientela.imports.services import import_run_now, import_upload
from clientela.users.models import User
from clientela.users.roles import Role


def _acting_user(username: str | None) -> User:
    users = User.objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user
    admin = users.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN)).order_by("pk").first()
    if admin is None:
        raise CommandError("no active administrator: create one, or pass --user USERNAME")
    return admin


class ImportCommand(BaseCommand):
    kind: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV, XLSX or ODS file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write none")
        parser.add_argument(
            "--mode",
            choices=ImportRun.Mode.values,
            default=ImportRun.Mode.UPSERT,
            help="upsert (create and update, default), create (only new) or update (only existing)",
        )
        parser.add_argument(
            "--user", help="who imports (history, permissions); default: the first administrator"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        user = _acting_user(options.get("user"))
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            # Not queued for the worker: the run happens here, in this process.
            run = import_upload(
                user=user, kind=self.kind, upload=upload, mode=options["mode"], queue=False
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        run = import_run_now(run=run, commit=not options["dry_run"])
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.error)
        self.stdout.write(
            f"created {run.created}, updated {run.updated}, "
            f"unchanged {run.unchanged}, refused {run.refused}"
        )
        if run.refused:
            for refusal in run.refusals:
                column = refusal["column"] or "-"
                self.stderr.write(f"line {refusal['line']}, {column}: {refusal['message']}")
            raise SystemExit(1)
