from decimal import Decimal

import phonenumbers
from django import template
from django.conf import settings

from clientela.core.money import format_money

register = template.Library()


@register.filter
def money(value: Decimal | int | float | None, currency: str = "USD") -> str:
    """`USD 1,234.56` in the active regional format (SPEC §1)."""
    return format_money(value, currency)


@register.filter
def phone(value: object) -> str:
    """National format for numbers of our country, international for the rest."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(str(value), None)
    except phonenumbers.NumberParseException:
        return str(value)
    region = phonenumbers.region_code_for_number(parsed)
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.DEFAULT_COUNTRY
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)
