from django.contrib.auth.models import AbstractUser
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """Our own user model from day one, so roles and profile fields can grow without a
    painful swap of AUTH_USER_MODEL later."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role(self) -> Role | None:
        """The user's role: superusers are administrators; otherwise their role group."""
        if self.is_superuser:
            return Role.ADMIN
        # .all() uses a prefetch when the caller made one (the users page does).
        names = {group.name for group in self.groups.all()}
        for role in Role:
            if role.value in names:
                return role
        return None

    @property
    def owner_scoped(self) -> bool:
        """Salespeople see and work only the accounts they are the salesperson of (the
        access gate, clientela.core.access, asks this)."""
        return self.role == Role.SALES

    def get_role_display(self) -> str:
        return str(self.role.label) if self.role else str(_("No role"))
