"""The five roles of SPEC §7.

Each role is a Django group (created by a migration) whose model permissions follow
one rule, `role_grants`, so a module added later is covered without editing this file.
Record-level rules (a salesperson's own accounts) live in clientela.core.access.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _

from clientela.core.access import role_required


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Sales manager")
    SALES = "sales", _("Salesperson")
    SUPPORT = "support", _("Support")
    VIEWER = "viewer", _("Viewer")


# Apps holding customer records; catalogs and history are read-only for every role
# but the administrator.
CRM_APPS = frozenset({"accounts", "contacts", "opportunities", "cases", "documents", "activities"})
READ_ONLY_APPS = frozenset({"catalogs", "audit"})
# Records a salesperson may delete on their own accounts (not the account itself, and
# not cases: a case is closed, not deleted).
SALES_DELETABLE_APPS = frozenset({"contacts", "opportunities", "documents", "activities"})


def role_grants(role: str, app_label: str, codename: str) -> bool:
    """Whether members of `role` hold the permission `app_label.codename`."""
    action = codename.split("_", 1)[0]
    if role == Role.ADMIN:
        return True
    if app_label in READ_ONLY_APPS:
        return action == "view"
    if app_label not in CRM_APPS:
        return False
    if role == Role.MANAGER:
        return True
    if role == Role.SALES:
        return action in {"view", "add", "change", "export", "upload", "download", "comment"} or (
            action == "delete" and app_label in SALES_DELETABLE_APPS
        )
    if role == Role.SUPPORT:
        if app_label in {"cases", "activities"}:
            # Support logs and plans its own calls and visits too.
            return action in {"view", "add", "change", "export", "comment"}
        return action in {"view", "export", "download"}
    if role == Role.VIEWER:
        return action in {"view", "download"}
    return False


def sync_role_groups() -> None:
    """Create the role groups and give each exactly the permissions `role_grants` says."""
    permissions = list(Permission.objects.select_related("content_type"))
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = [p for p in permissions if role_grants(role, p.content_type.app_label, p.codename)]
        group.permissions.set(wanted)


def admin_required(view: Any) -> Any:
    """Administrators only; anyone else logged in gets 403 (login is enforced globally)."""
    return role_required(Role.ADMIN)(view)
