"""Activities (SPEC §14): calls, visits, e-mails, WhatsApp messages, tasks and notes on
an account, planned or done, with a reminder; and the in-app notifications reminders
leave."""

import secrets
from datetime import datetime, time
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

NOTES_MAX_LENGTH = 10_000


def agenda_time(kind: str, starts_at: datetime | None, due_date: Any) -> datetime | None:
    """When the activity sits on the agenda: a task with a due date at the end of that
    day (local time), everything else at its start."""
    if kind == Activity.Kind.TASK and due_date is not None:
        return timezone.make_aware(datetime.combine(due_date, time(23, 59)))
    return starts_at


class Activity(TrackedModel):
    """Something done or to do with a customer: linked to an account and optionally to
    one of its contacts, opportunities or cases, assigned to a user."""

    # How the access gate reaches the record's account (clientela.core.access).
    account_path = "account"
    # History reads "Creada" (clientela.audit).
    grammatical_gender = "feminine"

    class Kind(models.TextChoices):
        CALL = "call", pgettext_lazy("activity kind", "Call")
        MEETING = "meeting", pgettext_lazy("activity kind", "Meeting or visit")
        EMAIL = "email", pgettext_lazy("activity kind", "E-mail")
        WHATSAPP = "whatsapp", pgettext_lazy("activity kind", "WhatsApp")
        TASK = "task", pgettext_lazy("activity kind", "Task")
        NOTE = "note", pgettext_lazy("activity kind", "Note")

    class Result(models.TextChoices):
        ANSWERED = "answered", pgettext_lazy("call result", "Answered")
        NO_ANSWER = "no_answer", pgettext_lazy("call result", "No answer")
        CALL_BACK = "call_back", pgettext_lazy("call result", "Call back")

    account = models.ForeignKey(
        "accounts.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        related_name="activities",
        null=True,
        blank=True,
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.SET_NULL,
        related_name="activities",
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        related_name="activities",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    subject = models.CharField(_("subject"), max_length=200, validators=[MinLengthValidator(2)])
    notes = models.TextField(
        _("notes"), blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH)]
    )
    starts_at = models.DateTimeField(_("date and time"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    remind_at = models.DateTimeField(_("reminder"), null=True, blank=True)
    # Set by the one worker that sent the reminder (a conditional UPDATE): never twice.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Where the activity sits on the agenda (see agenda_time): one column for every
    # "overdue / today / this week" query, so one index serves them.
    agenda_at = models.DateTimeField(editable=False, null=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-agenda_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["call", "meeting", "email", "whatsapp", "task", "note"]),
                name="activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(result__in=["", "answered", "no_answer", "call_back"]),
                name="activity_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(done=False, done_at__isnull=True) | Q(done=True, done_at__isnull=False),
                name="activity_done_at_matches_done",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]
        indexes = [
            # The profile panel: an account's activities by date.
            models.Index(fields=["account", "agenda_at", "id"], name="activity_account_idx"),
            # Mi día: a user's pending activities by date. Partial, because SQLite cannot
            # use `done` in a composite index: Django writes `done=False` as `NOT done`,
            # which is no equality; the index's condition is stated the same way.
            models.Index(
                fields=["assigned_to", "agenda_at", "id"],
                condition=Q(done=False),
                name="activity_pending_idx",
            ),
            # The user's calendar feed and the list filtered by assignee.
            models.Index(fields=["assigned_to", "done", "agenda_at"], name="activity_assigned_idx"),
            # The reminder sweep: unsent reminders by time.
            models.Index(
                fields=["remind_at"],
                condition=Q(reminder_sent_at__isnull=True, remind_at__isnull=False),
                name="activity_reminder_due_idx",
            ),
            # The activity list's sorts, so a page of five million is an index walk.
            models.Index(fields=["agenda_at", "id"], name="activity_agenda_idx"),
            models.Index(fields=["subject", "id"], name="activity_subject_idx"),
            models.Index(fields=["kind", "agenda_at", "id"], name="activity_kind_idx"),
            models.Index(fields=["updated_at", "id"], name="activity_updated_idx"),
            models.Index(fields=["contact", "agenda_at"], name="activity_contact_idx"),
            models.Index(fields=["opportunity", "agenda_at"], name="activity_opportunity_idx"),
            models.Index(fields=["case", "agenda_at"], name="activity_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("activity_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.subject = (self.subject or "").strip()
        for name in ("contact", "opportunity", "case"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and self.account_id and related.account_id != self.account_id:
                errors[name] = ValidationError(
                    _("This record does not belong to the activity's account."),
                    code="wrong_account",
                )
        if self.result and self.kind != self.Kind.CALL:
            errors["result"] = ValidationError(_("Only a call has a result."), code="not_a_call")
        if self.due_date is not None and self.kind != self.Kind.TASK:
            errors["due_date"] = ValidationError(
                _("Only a task has a due date."), code="not_a_task"
            )
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = ValidationError(
                _("The end cannot be before the start."), code="before_start"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.agenda_at = agenda_time(self.kind, self.starts_at, self.due_date)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "agenda_at"}
        super().save(*args, **kwargs)

    def owned_by(self, user: Any) -> bool:
        """A salesperson also works the activities assigned to them on a colleague's
        account (clientela.core.access.may)."""
        return bool(self.assigned_to_id == user.pk)

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.agenda_at is not None and self.agenda_at < timezone.now()


class Notification(models.Model):
    """An in-app message for one user (the bell): a reminder of an activity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
    )
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]
        constraints = [
            # One reminder notification per activity and user, whatever the workers do.
            models.UniqueConstraint(
                fields=["activity", "user"], name="notification_one_per_activity"
            ),
        ]

    def __str__(self) -> str:
        return self.message


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class UserAgenda(models.Model):
    """A user's agenda settings: the secret of their private iCalendar feed (whoever has
    the URL reads the user's activities, so it is long, random and revocable: a new one
    replaces it) and the language their reminders are written in (the one they last used
    Mi día in; the site's default until then)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="agenda",
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def __str__(self) -> str:
        return str(self.user)
