"""Writes to users: creating them, giving them a role, deactivating them."""

from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.core.access import require

from .models import User
from .roles import Role


def assign_role(user: User, role: str) -> None:
    """Make `role` the user's only role (no permission check: callers check)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    user.groups.set([Group.objects.get_or_create(name=role)[0]])
    # Only administrators reach Django's admin (catalogs, history).
    user.is_staff = role == Role.ADMIN
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    by: User | None = None,
) -> User:
    """Create a user with a role. `by` is the administrator doing it (None from the
    command line, whose operator already holds the server)."""
    if by is not None:
        require(by, "add", User)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email.lower())
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    assign_role(user, role)
    return user


@transaction.atomic
def user_update(*, by: User, user: User, data: dict[str, Any]) -> User:
    """Change names, e-mail, role or active flag. An administrator cannot demote or
    deactivate themselves, so the installation never loses its last way in."""
    require(by, "change", User)
    locked = User.objects.select_for_update().get(pk=user.pk)
    role = data.get("role")
    is_active = data.get("is_active", locked.is_active)
    if locked.pk == by.pk and (role not in (None, Role.ADMIN) or not is_active):
        raise ValidationError(_("You cannot remove your own administrator access."))
    for field in ("first_name", "last_name", "email"):
        if field in data:
            setattr(locked, field, data[field] or "")
    locked.email = locked.email.lower()
    locked.is_active = bool(is_active)
    locked.full_clean(exclude=["password"])
    locked.save()
    if role is not None:
        assign_role(locked, role)
    return locked


@transaction.atomic
def user_set_password(*, by: User | None, user: User, password: str) -> None:
    if by is not None:
        require(by, "change", User)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def demo_user_ensure(*, username: str, first_name: str, last_name: str, role: str) -> User:
    """A demo user with this role, created without a usable password if missing."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.com",
        )
        user.set_unusable_password()
        user.save()
    if user.role is None:
        assign_role(user, role)
    return user
