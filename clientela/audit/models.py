from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("history is append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("history is append-only")


class HistoryEntry(models.Model):
    """One create, change or delete of a customer record (SPEC §8). Append-only: the
    ORM refuses updates and deletes, and a database trigger refuses updates."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("history action", "Created")
        UPDATE = "update", pgettext_lazy("history action", "Changed")
        DELETE = "delete", pgettext_lazy("history action", "Deleted")

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("record"), max_length=250)
    # Not a foreign key: the history of an account outlives the account.
    account_id = models.BigIntegerField(null=True, blank=True)
    # {field: [old, new]} with choice codes, related names and plain values as text.
    changes = models.JSONField(default=dict, blank=True)
    # Where a change came from when not from a form or the API: "import:12" (see
    # clientela.audit.sources). Nullable so adding it never rewrites the table.
    source = models.CharField(_("source"), max_length=60, null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["account_id", "-at", "-id"], name="history_account_idx"),
            models.Index(fields=["content_type", "object_id", "-at"], name="history_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["create", "update", "delete"]),
                name="history_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("history is append-only")
