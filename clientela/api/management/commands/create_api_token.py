"""`manage.py create_api_token USERNAME [--name NAME]`: prints a new token once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clientela.api.services import api_token_create
from clientela.users.selectors import user_get_active_by_username


class Command(BaseCommand):
    help = "Create an API token for an active user and print it (it is not shown again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_get_active_by_username(options["username"])
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        _record, token = api_token_create(user=user, name=options["name"])
        self.stdout.write(token)
