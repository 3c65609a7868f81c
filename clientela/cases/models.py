from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientela.core.models import TrackedModel
from clientela.core.search import build_search_text

NUMBER_PREFIX = "K"
NUMBER_SEQUENCE = "case"
COMMENT_MAX_LENGTH = 10_000

OPEN_STATUSES = ("new", "in_progress", "waiting_customer")
# Most urgent first; a rank, because the codes sort alphabetically in the wrong order.
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
DONE_STATUSES = ("resolved", "closed")


def due_at_for(priority: str, opened_at: datetime) -> datetime:
    """When a case of this priority opened at `opened_at` must be answered
    (settings.CASE_RESPONSE_HOURS)."""
    return opened_at + timedelta(hours=settings.CASE_RESPONSE_HOURS[priority])


def case_search_text(
    *, number: str, subject: str, account_code: str, account_name: str, contact_name: str
) -> str:
    """The folded text the queue's search matches (shared with the demo seeder)."""
    return build_search_text([number, subject, account_code, account_name, contact_name])


class Case(TrackedModel):
    """A customer request (SPEC §5). Its status follows clientela.cases.workflow."""

    # How the access gate reaches the record's account (clientela.core.access).
    account_path = "account"

    class Priority(models.TextChoices):
        LOW = "low", pgettext_lazy("case priority", "Low")
        NORMAL = "normal", pgettext_lazy("case priority", "Normal")
        HIGH = "high", pgettext_lazy("case priority", "High")
        URGENT = "urgent", pgettext_lazy("case priority", "Urgent")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("case status", "New")
        IN_PROGRESS = "in_progress", pgettext_lazy("case status", "In progress")
        WAITING_CUSTOMER = (
            "waiting_customer",
            pgettext_lazy("case status", "Waiting on the customer"),
        )
        RESOLVED = "resolved", pgettext_lazy("case status", "Resolved")
        CLOSED = "closed", pgettext_lazy("case status", "Closed")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # SET_NULL: a person can still be erased (e.g. on a data-protection request); the
    # case stays with its account and its history keeps the name.
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        related_name="cases",
        null=True,
        blank=True,
    )
    subject = models.CharField(_("subject"), max_length=200, validators=[MinLengthValidator(3)])
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        null=True,
        blank=True,
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    due_at = models.DateTimeField(_("due at"), editable=False)
    resolution = models.TextField(
        _("resolution"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    # Folded copy of number, subject, account code and name, contact name (see core.search).
    search_text = models.TextField(editable=False, default="")
    # The queue's "then by priority" as a stored number (urgent 0 … low 3), written on
    # save and by the bulk writer, so the queue's order is an index, not a computed sort.
    priority_rank = models.PositiveSmallIntegerField(editable=False, default=2)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        permissions = [
            ("comment_case", _("Can comment on cases")),
            ("export_case", _("Can export cases")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[*OPEN_STATUSES, *DONE_STATUSES]), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=["low", "normal", "high", "urgent"]),
                name="case_priority_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES) | ~Q(resolution=""),
                name="case_done_has_resolution",
                violation_error_message=_("A resolved or closed case needs a resolution."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES, resolved_at__isnull=True)
                | Q(status__in=DONE_STATUSES, resolved_at__isnull=False),
                name="case_resolved_at_matches_status",
            ),
        ]
        indexes = [
            # The queue, in its order within "overdue" and within "on time": priority, then
            # age, open cases only. SQLite uses a partial index only when the query
            # states its condition literally: see selectors.OPEN_LITERAL.
            models.Index(
                fields=["priority_rank", "opened_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_queue_open_idx",
            ),
            # The overdue count: open cases by due date (stated literally in the query,
            # as above).
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_open_due_at_idx",
            ),
            # The list sorted by priority (every status).
            models.Index(fields=["priority_rank", "opened_at", "id"], name="case_queue_order_idx"),
            # Inicio's cases opened and resolved per week: a range on each date.
            models.Index(fields=["opened_at"], name="case_opened_at_idx"),
            models.Index(fields=["resolved_at"], name="case_resolved_at_idx"),
            models.Index(fields=["account", "status", "opened_at"], name="case_account_idx"),
            models.Index(fields=["assignee", "status"], name="case_assignee_idx"),
            # Mi día: an assignee's open cases by due date (stated literally, as above).
            models.Index(
                fields=["assignee", "due_at", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="case_assignee_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.subject}" if self.number else self.subject

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.number])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.subject = (self.subject or "").strip()
        self.resolution = (self.resolution or "").strip()
        contact = self.contact if self.contact_id else None
        if contact is not None and self.account_id and contact.account_id != self.account_id:
            errors["contact"] = ValidationError(
                _("This contact does not belong to the case's account."), code="wrong_account"
            )
        if self.status in DONE_STATUSES and not self.resolution:
            errors["resolution"] = ValidationError(
                _("Describe the resolution before resolving or closing the case."),
                code="required",
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        self.priority_rank = PRIORITY_RANK.get(self.priority, len(PRIORITY_RANK))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "priority_rank"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        account = self.account if self.account_id else None
        contact = self.contact if self.contact_id else None
        return case_search_text(
            number=self.number,
            subject=self.subject,
            account_code=account.code if account else "",
            account_name=account.name if account else "",
            contact_name=str(contact) if contact else "",
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class CaseComment(models.Model):
    """One message of a case's thread: plain text, never edited."""

    # How the access gate reaches the record's account (clientela.core.access).
    account_path = "case__account"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="case_comments",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    body = models.TextField(
        _("comment"), validators=[MinLengthValidator(1), MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )

    class Meta:
        verbose_name = _("case comment")
        verbose_name_plural = _("case comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at", "id"], name="case_comment_thread_idx")
        ]

    def __str__(self) -> str:
        excerpt = " ".join(self.body.split())
        excerpt = excerpt if len(excerpt) <= 60 else excerpt[:59] + "…"
        number = self.case.number if self.case_id else ""
        return f"{number}: {excerpt}" if number else excerpt
