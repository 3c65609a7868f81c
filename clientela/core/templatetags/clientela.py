from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clientela.core import phones
from clientela.core.currencies import format_amount, format_money

register = template.Library()


@register.filter
def money(value: Decimal | int | float | None, currency: str = "USD") -> str:
    """`USD 1,234.56` in the active regional format (SPEC §1)."""
    return format_money(value, currency)


@register.filter
def amount(value: Decimal | int | float | None, currency: str = "USD") -> str:
    """`1,234.56` with `currency`'s decimals: money without the code, where the heading
    names the currency."""
    return format_amount(value, currency)


@register.filter
def phone(value: object, region: str = "") -> str:
    """National format for numbers of the viewer's region, international for the rest."""
    if not value:
        return ""
    return phones.format_phone(value, region or None)


@register.filter
def tel_uri(value: object) -> str:
    return phones.tel_uri(value)


@register.filter
def whatsapp_url(value: object) -> str:
    return phones.whatsapp_url(value)


@register.filter
def phone_link(value: object, region: str = "") -> SafeString | str:
    """The number as a `tel:` link (formatted as the `phone` filter does); plain text if it is
    not a number."""
    if not value:
        return ""
    uri = phones.tel_uri(value)
    shown = phones.format_phone(value, region or None)
    if not uri:
        return shown
    return format_html('<a href="{}">{}</a>', uri, shown)


@register.filter
def whatsapp_link(value: object) -> SafeString | str:
    """A WhatsApp chat link for a mobile number; "" for any other number."""
    url = phones.whatsapp_url(value)
    if not url:
        return ""
    return format_html(
        '<a href="{}" target="_blank" rel="noopener noreferrer" class="whatsapp">{}</a>',
        url,
        _("WhatsApp"),
    )


@register.filter
def web_url(value: object) -> str:
    """The address when it is a web page (http or https), else "": a stored
    `javascript:` or `data:` address must never become a link (it is shown as text)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""
