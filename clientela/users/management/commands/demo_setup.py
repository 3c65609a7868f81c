"""First-run setup for `make run`: demo data and one demo login per role, once.

The shared demo password is random, kept in var/demo-login.txt (never in the code)
and printed on every start so the person who ran `make run` can log in.
"""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from clientela.users.models import User
from clientela.users.roles import Role
from clientela.users.services import user_create, user_set_password

# The login shown for each role; seed_demo creates all but the administrator.
DEMO_LOGINS = [
    ("admin", Role.ADMIN),
    ("gerente", Role.MANAGER),
    ("ana.gomez", Role.SALES),
    ("soporte", Role.SUPPORT),
    ("consulta", Role.VIEWER),
]


class Command(BaseCommand):
    help = "Create demo data and one demo user per role on the first run; print the logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--accounts", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        login_file = Path(settings.VAR_DIR) / "demo-login.txt"
        if not User.objects.exists():
            password = secrets.token_urlsafe(12)
            with transaction.atomic():
                user_create(
                    username="admin",
                    role=Role.ADMIN,
                    password=password,
                    first_name="Admin",
                    last_name="Demo",
                    email="admin@example.com",
                )
                call_command("seed_demo", accounts=options["accounts"], stdout=self.stdout)
                for username, _role in DEMO_LOGINS[1:]:
                    user = User.objects.get(username=username)
                    user_set_password(by=None, user=user, password=password)
            login_file.write_text(
                "".join(f"{username} {role} {password}\n" for username, role in DEMO_LOGINS),
                encoding="utf-8",
            )
            login_file.chmod(0o600)
        if not login_file.exists():
            self.stdout.write("Users already exist: log in with your own account.")
            return
        self.stdout.write(self.style.SUCCESS("Demo logins (user / role / password):"))
        for line in login_file.read_text(encoding="utf-8").splitlines():
            username, role, password = line.split()
            self.stdout.write(f"  {username:12} {role:8} {password}")
