"""Cell text to the values the services take: numbers written the region's way or the
other, yes/no in both languages, choices by code or label, countries by code or name.
Each parser raises ValidationError with the message shown beside the refused row."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from phonenumber_field.phonenumber import PhoneNumber

from clientela.core.formats.regions import REGIONS
from clientela.core.phones import parse_phone
from clientela.core.search import normalize_text

# What export wrote to neutralize a formula (see exports.neutralize): read back as typed.
_NEUTRALIZED = re.compile(r"^'(?=[=+\-@\t\r])")
_TRUE = {"si", "s", "yes", "y", "true", "verdadero", "1", "x", "v"}
_FALSE = {"no", "n", "false", "falso", "0", ""}
_MONEY_NOISE = re.compile(r"[\s$€£¥\u00a0]|[A-Z]{3}", re.IGNORECASE)


def clean_text(value: str) -> str:
    """A cell's text: trimmed, a neutralizing apostrophe removed, no NUL."""
    text = _NEUTRALIZED.sub("", str(value or "")).replace("\x00", "").strip()
    return text


def parse_bool(text: str) -> bool:
    key = normalize_text(text).rstrip(".")
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(_("Write Yes or No."), code="invalid")


def _decimal_separator() -> str:
    region = REGIONS.get(getattr(settings, "CLIENTELA_REGION", "PA"))
    return region.decimal_separator if region else "."


def parse_decimal(text: str) -> Decimal:
    """'1,234.56', '1.234,56', '1234,5', 'USD 1,500' -> Decimal. With a single kind of
    separator, the region decides: '1,500' is 1500 in Panama and 1.5 in Colombia."""
    raw = _MONEY_NOISE.sub("", text)
    if not raw:
        raise ValidationError(_("Enter a number."), code="invalid")
    if "," in raw and "." in raw:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
    elif "," in raw or "." in raw:
        mark = "," if "," in raw else "."
        parts = raw.split(mark)
        grouped = len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3)
        decimal_mark = mark if mark == _decimal_separator() or not grouped else ""
        if len(parts) > 2:
            decimal_mark = ""  # "1.234.567": only thousands
    else:
        decimal_mark = ""
    thousands = {",", "."} - {decimal_mark}
    for mark in thousands:
        raw = raw.replace(mark, "")
    if decimal_mark:
        raw = raw.replace(decimal_mark, ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    return value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValidationError(_("Enter a whole number."), code="invalid")
    return int(value)


class ChoiceReader:
    """A choice by its code or its label in Spanish or English, any case or accents."""

    def __init__(self, choices: type[TextChoices], extra: dict[str, str] | None = None) -> None:
        self.table: dict[str, str] = {}
        for member in choices:
            self.table[normalize_text(member.value)] = member.value
            for language in ("es", "en"):
                with translation.override(language):
                    self.table[normalize_text(str(member.label))] = member.value
        for alias, value in (extra or {}).items():
            self.table[normalize_text(alias)] = value
        # Cells as typed repeat ("Corporativo", "Crédito"): looked up as they are first.
        self.table.update({member.value: member.value for member in choices})
        self.choices = choices

    def __call__(self, text: str) -> str:
        found = self.table.get(text) or self.table.get(normalize_text(text))
        if found is None:
            labels = ", ".join(str(member.label) for member in self.choices)
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s."),
                code="invalid_choice",
                params={"value": text, "choices": labels},
            )
        return found


class CountryReader:
    """ISO 3166-1 alpha-2 or alpha-3 code, or the country's name in Spanish or English."""

    def __init__(self) -> None:
        self.table: dict[str, str] = {}
        for language in ("en", "es"):
            with translation.override(language):
                for code, name in countries:
                    self.table[normalize_text(str(name))] = code
        for code, _name in countries:
            self.table[normalize_text(code)] = code
            alpha3 = countries.alpha3(code)
            if alpha3:
                self.table[normalize_text(alpha3)] = code
        for alias, code in {"panama": "PA", "rep. dominicana": "DO", "usa": "US"}.items():
            self.table.setdefault(alias, code)

    def __call__(self, text: str) -> str:
        found = self.table.get(text)
        if found is None:
            found = self.table.get(normalize_text(text))
            if found is not None:
                self.table[text] = found
        if found is None:
            raise ValidationError(
                _("“%(value)s” is not a country: write its two-letter code, e.g. PA."),
                code="invalid_choice",
                params={"value": text},
            )
        return found


class CatalogReader:
    """A catalog entry (or a user) by code or name, accent-insensitive; looked up in a
    table built once per import, never a query per row."""

    def __init__(self, entries: dict[str, Any], message: str) -> None:
        self.entries = entries
        self.message = message
        # Cells as typed, already resolved: the same few values repeat on every row.
        self.typed: dict[str, Any] = {}

    def __call__(self, text: str) -> Any:
        found = self.typed.get(text)
        if found is None:
            found = self.entries.get(normalize_text(text))
            if found is not None:
                self.typed[text] = found
        if found is None:
            raise ValidationError(self.message, code="invalid_choice", params={"value": text})
        return found


class CheckedPhone(PhoneNumber):
    """A number parse_phone found valid. The phone field's str() (which the search text,
    the history snapshot and the database conversion each call) checks validity with
    libphonenumber every time; a row's phones are checked once, here."""

    _text: str | None = None

    def is_valid(self) -> bool:
        return True

    def __str__(self) -> str:
        if self._text is None:
            self._text = super().__str__()
        return self._text


def parse_checked_phone(text: str, region: str | None) -> CheckedPhone:
    """parse_phone (its rules and messages), kept as a CheckedPhone."""
    checked = CheckedPhone()
    checked.merge_from(parse_phone(text, region))
    return checked
