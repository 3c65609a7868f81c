"""Reads of activities. `activity_visible_to` is the gate every list, panel, feed and
count goes through: whoever may see the account sees its activities, and a salesperson
also sees the activities assigned to them (clientela.core.access)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from clientela.cases.models import Case
from clientela.cases.selectors import open_literal
from clientela.core.access import VIEW, get_for_user, is_owner_scoped, scope_to_user
from clientela.core.paging import ListPage, Ordering, paginate
from clientela.opportunities.models import Opportunity
from clientela.users.models import User

from .models import Activity, Notification

RELATED = ("account", "assigned_to", "contact", "opportunity", "case")
SORTS: dict[str, tuple[str, ...]] = {
    "agenda_at": ("agenda_at", "id"),
    "subject": ("subject", "id"),
    "kind": ("kind", "agenda_at", "id"),
    "updated_at": ("updated_at", "id"),
}


@dataclass(frozen=True)
class ActivityFilters:
    account: str = ""  # account code
    assigned: str = ""  # username
    kind: str = ""
    done: bool | None = None
    due_from: date | None = None
    due_to: date | None = None
    sort: str = ""  # a key of SORTS, "-" for descending; "" = newest first


def activity_visible_to(user: User) -> QuerySet[Activity]:
    activities = Activity.objects.all()
    if is_owner_scoped(user) and getattr(user, "role", None) is not None:
        return activities.filter(Q(account__salesperson=user) | Q(assigned_to=user))
    return scope_to_user(user, activities)


def activity_get_for_user(user: User, pk: int, *, action: str = VIEW) -> Activity:
    """404 if the user may not see it, 403 if they may not do `action` on it."""
    visible = activity_visible_to(user).select_related(
        *RELATED, "done_by", "created_by", "updated_by"
    )
    return get_for_user(visible, user, action=action, pk=pk)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def activity_list(*, user: User, filters: ActivityFilters) -> QuerySet[Activity]:
    activities = activity_visible_to(user).select_related(*RELATED)
    if filters.account:
        activities = activities.filter(account__code=filters.account)
    if filters.assigned:
        activities = activities.filter(assigned_to__username=filters.assigned)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.done is not None:
        activities = activities.filter(done=filters.done)
    if filters.due_from:
        activities = activities.filter(agenda_at__gte=day_start(filters.due_from))
    if filters.due_to:
        activities = activities.filter(agenda_at__lt=day_start(filters.due_to + timedelta(days=1)))
    columns = SORTS.get(filters.sort.lstrip("-"))
    if columns is None:
        return activities.order_by("-agenda_at", "-id")
    descending = filters.sort.startswith("-")
    return activities.order_by(*(f"-{c}" if descending else c for c in columns))


def activity_page(*, user: User, filters: ActivityFilters, params: QueryDict) -> ListPage:
    activities = activity_list(user=user, filters=filters)
    key = filters.sort.lstrip("-")
    columns = SORTS.get(key, ("agenda_at", "id"))
    descending = filters.sort.startswith("-") if key in SORTS else True
    return paginate(activities, Ordering(columns, descending=descending), params, keyset=False)


PANEL_UPCOMING_LIMIT = 10
PANEL_PAST_LIMIT = 10


def activity_panel(*, user: User, now: datetime | None = None, **link: Any) -> dict[str, Any]:
    """A record's Actividades panel (`account=`, `contact=`, `opportunity=` or `case=`):
    pending ones soonest first, then done ones latest first. Two queries, each an
    index range of (link, agenda_at), whatever the number of activities."""
    now = now or timezone.now()
    mine = activity_visible_to(user).filter(**link).select_related("assigned_to", "contact")
    upcoming = list(mine.filter(done=False).order_by("agenda_at", "id")[:PANEL_UPCOMING_LIMIT])
    past = list(mine.filter(done=True).order_by("-agenda_at", "-id")[:PANEL_PAST_LIMIT])
    return {"upcoming": upcoming, "past": past, "now": now}


# ── Mi día ──────────────────────────────────────────────────────────────────────────────────────

MY_DAY_LIMIT = 20


def _names_only(model: type[Any], *related: str) -> tuple[str, ...]:
    """The record's own columns and, of each related row, only what Mi día and its API
    answer show: a full account row costs a phone number parsed per field."""
    return tuple(f.name for f in model._meta.concrete_fields) + related


_ACTIVITY_ROW = _names_only(
    Activity,
    "account__code",
    "account__name",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "case__number",
)
# The API's answer also names who created and last changed each activity.
_AUTHORS = ("created_by__username", "updated_by__username")


def my_day(
    *, user: User, who: User, today: date | None = None, with_authors: bool = False
) -> dict[str, Any]:
    """`who`'s day as `user` may see it: overdue activities, today's, the rest of this
    week's (to Sunday), opportunities closing this month without a planned next step,
    and the cases due today. Five queries, each an index range; each list holds at most
    MY_DAY_LIMIT items, and `more` names the lists that have more (the activity list
    shows them all)."""
    today = today or timezone.localdate()
    start, tomorrow = day_start(today), day_start(today + timedelta(days=1))
    week_end = day_start(today + timedelta(days=7 - today.weekday()))
    pending = (
        activity_visible_to(user)
        .filter(assigned_to=who, done=False)
        .select_related(
            "account",
            "assigned_to",
            "case",
            *(("created_by", "updated_by") if with_authors else ()),
        )
        .only(*_ACTIVITY_ROW, *(_AUTHORS if with_authors else ()))
        .order_by("agenda_at", "id")
    )
    more: set[str] = set()

    def first(name: str, rows: QuerySet[Any]) -> list[Any]:
        found = list(rows[: MY_DAY_LIMIT + 1])
        if len(found) > MY_DAY_LIMIT:
            more.add(name)
        return found[:MY_DAY_LIMIT]

    overdue = first("overdue", pending.filter(agenda_at__lt=start))
    todays = first("today", pending.filter(agenda_at__gte=start, agenda_at__lt=tomorrow))
    week = first("week", pending.filter(agenda_at__gte=tomorrow, agenda_at__lt=week_end))
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    planned = Activity.objects.filter(opportunity=OuterRef("pk"), done=False, agenda_at__gte=start)
    opportunities = first(
        "opportunities",
        scope_to_user(user, Opportunity.objects.all())
        .filter(
            owner=who,
            stage__in=Opportunity.OPEN_STAGES,
            expected_close_date__gte=today.replace(day=1),
            expected_close_date__lt=month_end,
        )
        .exclude(Exists(planned))
        .select_related("account")
        .only("id", "name", "expected_close_date", "account__code", "account__name")
        .order_by("expected_close_date", "id"),
    )
    cases = first(
        "cases",
        scope_to_user(user, Case.objects.all())
        .filter(open_literal(), assignee=who, due_at__lt=tomorrow)
        .select_related("account")
        .only("id", "number", "subject", "due_at", "account__code", "account__name")
        .order_by("due_at", "id"),
    )
    return {
        "overdue": overdue,
        "today": todays,
        "week": week,
        "opportunities": opportunities,
        "cases": cases,
        "more": more,
        "date": today,
        # The activity list's date filters that show each list whole.
        "yesterday": today - timedelta(days=1),
        "tomorrow": today + timedelta(days=1),
        "sunday": week_end.date() - timedelta(days=1),
    }


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(*, user: User, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user).select_related("activity")[:limit])


def feed_activities(*, user: User, limit: int = 2000) -> QuerySet[Activity]:
    """What the user's calendar feed holds: their activities from 90 days back on,
    at most `limit` (a calendar client re-reads the feed every few hours)."""
    since = timezone.now() - timedelta(days=90)
    return (
        activity_visible_to(user)
        .filter(assigned_to=user, agenda_at__gte=since)
        .select_related("account")
        .order_by("agenda_at", "id")[:limit]
    )
