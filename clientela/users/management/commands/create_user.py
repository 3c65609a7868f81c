"""`manage.py create_user USERNAME --role ROLE` (SPEC §11); the password comes from
CLIENTELA_PASSWORD or an interactive prompt, never from the command line (where it
would be kept in the shell history and visible to other users in `ps`)."""

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clientela.users.roles import Role
from clientela.users.services import user_create


class Command(BaseCommand):
    help = "Create a user with one of the roles admin, manager, sales, support, viewer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("CLIENTELA_PASSWORD") or self._prompt()
        try:
            user = user_create(
                username=options["username"],
                role=options["role"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.role})."))

    def _prompt(self) -> str:
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except EOFError:
            raise CommandError("Set CLIENTELA_PASSWORD or run interactively.") from None
        if first != second:
            raise CommandError("The passwords do not match.")
        if not first:
            raise CommandError("The password cannot be empty.")
        return first
