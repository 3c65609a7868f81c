"""Every write to an activity goes through here: atomic, permission-checked before
anything is written, validated with full_clean() and recorded in the history. Reminders
are claimed with a conditional UPDATE, so each is sent once whatever the number of
workers."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Account
from clientela.contacts.models import Contact
from clientela.core import writes
from clientela.core.access import permission
from clientela.core.writes import Saved
from clientela.users.models import User

from .models import Activity, Notification, UserAgenda, new_feed_token

# What a form or API client may set, in the form's order; done goes through
# activity_set_done (it stamps who and when), the account is set once.
EDITABLE_FIELDS = (
    "kind",
    "subject",
    "starts_at",
    "ends_at",
    "due_date",
    "assigned_to",
    "contact",
    "opportunity",
    "case",
    "result",
    "remind_at",
    "notes",
)
CREATE_FIELDS = ("account", *EDITABLE_FIELDS)


def _check_assignee(activity: Activity) -> None:
    """Only an active user whose role works activities can be given one."""
    user = activity.assigned_to if activity.assigned_to_id else None
    if user is None or not user.is_active or not user.has_perm(permission(Activity, "view")):
        raise ValidationError(
            {
                "assigned_to": ValidationError(
                    _("This user cannot be given activities."), code="not_allowed"
                )
            }
        )


def _check_contact(activity: Activity) -> None:
    """The contact must be one of the account's, checked with its row locked so a
    concurrent move cannot slip between the check and the save."""
    if not activity.contact_id:
        return
    if (
        not Contact.objects.select_for_update()
        .filter(pk=activity.contact_id, account_id=activity.account_id)
        .exists()
    ):
        raise ValidationError(
            {
                "contact": ValidationError(
                    _("This record does not belong to the activity's account."),
                    code="wrong_account",
                )
            }
        )


def refresh_account_dates(account_id: int) -> None:
    """Keep the account's last done and next pending activity (the list's columns) in
    step with its activities: two index ranges of (account, agenda_at), one UPDATE."""
    mine = Activity.objects.filter(account_id=account_id)
    last = mine.filter(done=True).aggregate(at=Max("agenda_at"))["at"]
    upcoming = mine.filter(done=False).aggregate(at=Min("agenda_at"))["at"]
    Account.objects.filter(pk=account_id).update(last_activity_at=last, next_activity_at=upcoming)


def _refreshed(saved: Saved[Activity]) -> Saved[Activity]:
    if saved.changed:
        refresh_account_dates(saved.record.account_id)
    return saved


def _validate(activity: Activity) -> None:
    writes.full_validate(activity, checks=[_check_contact, _check_assignee])


def _schedule_reminder(activity: Activity) -> None:
    """Queue the reminder for its time, once the write commits."""
    if activity.remind_at is None or activity.reminder_sent_at is not None:
        return
    pk, when = activity.pk, activity.remind_at
    transaction.on_commit(lambda: _enqueue(pk, when))


def _enqueue(activity_id: int, when: datetime) -> None:
    from .tasks import send_reminder

    task = send_reminder
    if when > timezone.now():
        if not task.get_backend().supports_defer:
            return  # the tests' inline backend: the sweep (or a test) sends it when due
        task = send_reminder.using(run_after=when)
    task.enqueue(activity_id)


@transaction.atomic
def activity_create(*, user: User, data: dict[str, Any], done: bool = False) -> Saved[Activity]:
    """Plan an activity, or log one already done (`done`, e.g. a call just made). The
    assignee defaults to the user."""
    if data.get("account") is None:
        raise ValidationError({"account": ValidationError(_("Choose an account."), "required")})
    activity = Activity()
    writes.set_fields(activity, {k: v for k, v in data.items() if v is not None}, CREATE_FIELDS)
    if not activity.assigned_to_id:
        activity.assigned_to = user
    if activity.starts_at is None:
        activity.starts_at = timezone.now()
    if done:
        activity.done, activity.done_at, activity.done_by = True, timezone.now(), user
    saved = _refreshed(writes.create_recorded(activity, user=user, validate=_validate))
    _schedule_reminder(saved.record)
    return saved


@transaction.atomic
def activity_update(
    *, user: User, activity: Activity, data: dict[str, Any], version: int | None
) -> Saved[Activity]:
    """Change the activity if nobody saved since the user loaded `version`. A new
    reminder time is sent again, at the new time."""
    before: dict[str, Any] = {}

    def apply(locked: Activity) -> None:
        before["remind_at"] = locked.remind_at
        before["assigned_to_id"] = locked.assigned_to_id
        writes.set_fields(locked, data, EDITABLE_FIELDS)
        if locked.remind_at != before["remind_at"]:
            locked.reminder_sent_at = None

    def validate(locked: Activity) -> None:
        checks = [_check_contact]
        if locked.assigned_to_id != before["assigned_to_id"]:
            checks.append(_check_assignee)
        writes.full_validate(locked, checks=checks)

    saved = _refreshed(
        writes.versioned_update(
            activity, user=user, version=version, apply=apply, validate=validate
        )
    )
    if "remind_at" in saved.changes:
        _schedule_reminder(saved.record)
    return saved


@transaction.atomic
def activity_set_done(
    *, user: User, activity: Activity, done: bool, result: str = "", version: int | None = None
) -> Saved[Activity]:
    """Mark the activity done (stamping when and by whom; a call may say how it went) or
    not done again. Asking for the state it already has changes nothing."""

    def apply(locked: Activity) -> None:
        if result:
            locked.result = result
        if locked.done == done:
            return
        locked.done = done
        locked.done_at = timezone.now() if done else None
        locked.done_by = user if done else None

    return _refreshed(writes.versioned_update(activity, user=user, version=version, apply=apply))


@transaction.atomic
def activity_reschedule(
    *,
    user: User,
    activity: Activity,
    starts_at: datetime | None = None,
    due_date: date | None = None,
    version: int | None = None,
) -> Saved[Activity]:
    """Move a pending activity to another time (a task: another due date). The
    reminder moves with it, keeping its distance from the start."""

    def apply(locked: Activity) -> None:
        if locked.done:
            raise ValidationError(_("This activity is done: mark it pending to reschedule it."))
        if starts_at is not None:
            shift = starts_at - locked.starts_at
            if locked.ends_at is not None:
                locked.ends_at += shift
            if locked.remind_at is not None:
                locked.remind_at += shift
                locked.reminder_sent_at = None
            locked.starts_at = starts_at
        if due_date is not None:
            if locked.kind != Activity.Kind.TASK:
                raise ValidationError(
                    {"due_date": ValidationError(_("Only a task has a due date."), "not_a_task")}
                )
            locked.due_date = due_date

    saved = _refreshed(writes.versioned_update(activity, user=user, version=version, apply=apply))
    if "remind_at" in saved.changes:
        _schedule_reminder(saved.record)
    return saved


@transaction.atomic
def activity_delete(*, user: User, activity: Activity) -> Activity:
    Notification.objects.filter(activity=activity).delete()
    deleted = writes.delete_recorded(activity, user=user)
    refresh_account_dates(deleted.account_id)
    return deleted


# ── Reminders ───────────────────────────────────────────────────────────────────────────────────


def deliver_reminder(activity_id: int, *, now: datetime | None = None) -> bool:
    """Send activity `activity_id`'s reminder if it is due and nobody sent it yet.
    The claim is one conditional UPDATE: of two workers running this at once, exactly
    one changes the row, and only that one notifies. True when this call sent it."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Activity.objects.filter(
            pk=activity_id,
            reminder_sent_at__isnull=True,
            remind_at__isnull=False,
            remind_at__lte=now,
            done=False,
        ).update(reminder_sent_at=now)
        if not claimed:
            return False
        activity = Activity.objects.select_related("assigned_to", "account").get(pk=activity_id)
        from .notify import notify_reminder

        notify_reminder(activity)
    return True


def send_due_reminders(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send every reminder that is due (the sweep behind the per-activity tasks: one
    missed while no worker ran still goes out). Returns how many this call sent."""
    now = now or timezone.now()
    due = list(
        Activity.objects.filter(
            reminder_sent_at__isnull=True, remind_at__isnull=False, remind_at__lte=now, done=False
        )
        .order_by("remind_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver_reminder(pk, now=now) for pk in due)


# ── Notifications and the calendar feed ─────────────────────────────────────────────────────────


def notifications_mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def remember_language(*, user: User, language: str) -> None:
    """Reminders are written in the language the user last worked in."""
    UserAgenda.objects.filter(user=user).exclude(language=language).update(language=language)


def calendar_feed_for(*, user: User) -> UserAgenda:
    if not user.has_perm(permission(Activity, "view")):
        raise PermissionDenied
    agenda, _created = UserAgenda.objects.get_or_create(user=user)
    return agenda


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> UserAgenda:
    """A new secret: the old URL answers 404 from now on."""
    feed = calendar_feed_for(user=user)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
