"""Filters for the cases pages: how late or how soon, and the safe comment text."""

import re
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.timesince import timesince, timeuntil

register = template.Library()

# urlize writes exactly this attribute on the links it makes. The user's own text has
# already been escaped by then (a typed quote is &quot;), so only urlize's links match.
_URLIZE_REL = re.compile(r'<a href="([^"]*)" rel="nofollow">')


@register.filter(is_safe=True)
def plain_text(value: str | None) -> SafeString:
    """Plain text as HTML: everything escaped, links clickable (nofollow, noopener, new
    tab), line breaks kept. No HTML the user typed ever reaches the page."""
    linked = urlize(value or "", nofollow=True, autoescape=True)
    linked = _URLIZE_REL.sub(
        r'<a href="\1" rel="nofollow noopener noreferrer" target="_blank">', linked
    )
    return mark_safe(normalize_newlines(linked).replace("\n", "<br>"))  # noqa: S308


@register.filter
def late_by(value: datetime | None) -> str:
    """'3 horas' for something due three hours ago (the largest unit only)."""
    if not value:
        return ""
    return timesince(value, timezone.now(), depth=1)


@register.filter
def due_in(value: datetime | None) -> str:
    """'2 días' for something due in two days (the largest unit only)."""
    if not value:
        return ""
    return timeuntil(value, timezone.now(), depth=1)
