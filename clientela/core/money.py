"""Amounts as users read them (SPEC §1): `USD 1,234.56` in the active regional format.
One function for templates (the `money` filter), services' messages and exports."""

from decimal import Decimal

from django.utils.formats import number_format


def format_money(value: Decimal | int | float | str | None, currency: str) -> str:
    if value is None or value == "":
        return ""
    return f"{currency} {number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)}"
