"""Activities as iCalendar (RFC 5545, built with the `icalendar` library): each user's
private feed, which calendar programs subscribe to, and one activity as a .ics file."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from clientela.users.models import User

from .models import Activity
from .selectors import feed_activities

PRODID = "-//Clientela//Actividades//ES"
# A calendar shows an activity without an end as this long.
DEFAULT_LENGTH = timedelta(minutes=30)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(activity: Activity, host: str) -> Event:
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{host}")
    event.add("dtstamp", activity.updated_at or timezone.now())
    start = activity.agenda_at or activity.starts_at
    event.add("dtstart", start)
    end = activity.ends_at if activity.ends_at and activity.ends_at > start else None
    event.add("dtend", end or start + DEFAULT_LENGTH)
    event.add("summary", f"{activity.get_kind_display()}: {activity.subject}")
    account = activity.account
    description = f"{account.code} · {account.name}"
    if activity.notes:
        description += f"\n\n{activity.notes}"
    event.add("description", description)
    event.add("sequence", activity.version)
    event.add("status", "CONFIRMED")
    if activity.done:
        event.add("categories", ["done"])
    return event


def feed(user: User) -> bytes:
    cal = _calendar(f"Clientela · {user}")
    for activity in feed_activities(user=user):
        cal.add_component(_event(activity, _host()))
    return bytes(cal.to_ical())


def single(activity: Activity) -> bytes:
    cal = _calendar(str(activity))
    cal.add_component(_event(activity, _host()))
    return bytes(cal.to_ical())


def _host() -> str:
    # A stable UID domain: the first configured host, else "clientela".
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    return hosts[0] if hosts else "clientela"
