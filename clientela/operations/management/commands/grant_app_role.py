from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clientela.operations.app_role import grant_app_role


class Command(BaseCommand):
    help = (
        "PostgreSQL: let ROLE run the app (read and write every table) while it may only "
        "add to and read the history. Run as the owner of the tables, after every migrate "
        "and restore. See docs/deployment.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role DATABASE_URL of the app servers logs in as")

    def handle(self, *, role: str, **options: Any) -> None:
        try:
            with transaction.atomic():
                statements = grant_app_role(role)
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for statement in statements:
            self.stdout.write(f"{statement};")
