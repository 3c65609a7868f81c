"""First-run setup for `make run`: a demo administrator and demo data, once.

The administrator's password is random, kept in var/demo-login.txt (never in the
code) and printed on every start so the person who ran `make run` can log in.
"""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clientela.accounts.models import Account
from clientela.users.models import User

DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = "Create the demo administrator and demo data on the first run, and print the login."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--accounts", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        login_file = Path(settings.VAR_DIR) / "demo-login.txt"
        if not User.objects.exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                DEMO_ADMIN, email="admin@example.com", password=password, first_name="Admin"
            )
            login_file.write_text(f"{DEMO_ADMIN} {password}\n", encoding="utf-8")
            login_file.chmod(0o600)
            if not Account.objects.exists():
                call_command("seed_demo", accounts=options["accounts"], stdout=self.stdout)
        if login_file.exists():
            username, password = login_file.read_text(encoding="utf-8").split()
            self.stdout.write(
                self.style.SUCCESS(f"Demo login: user {username!r}, password {password!r}")
            )
        else:
            self.stdout.write("Users already exist: log in with your own account.")
