"""Dates typed and shown day first, dd/mm/aaaa, whatever the browser's language (SPEC §1).

A native `<input type="date">` writes and shows the date in the browser's own order: an English
browser shows mm/dd/yyyy to a Panamanian user. These fields are text inputs instead, shown as
dd/mm/yyyy and read with the region's input formats (clientela.core.formats: day first, ISO
accepted too). static/js/dates.js adds a calendar button that opens the browser's own picker and
writes the chosen date back day first; without it (or without JavaScript) typing still works.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DISPLAY_FORMAT = "%d/%m/%Y"


class DayFirstDateInput(forms.DateInput):
    """A text input showing dd/mm/yyyy, with the pattern as its placeholder."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "class": "date-input",
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "size": "10",
            # The calendar button's accessible name (static/js/dates.js).
            "data-picker-label": _("Choose a date"),
        }
        super().__init__({**defaults, **(attrs or {})}, format=DISPLAY_FORMAT)


class DayFirstDateField(forms.DateField):
    """A date typed as 31/12/2026 (or 2026-12-31), whatever the browser's language."""

    widget = DayFirstDateInput
    default_error_messages = {
        "invalid": _("Enter a valid date as dd/mm/yyyy (for example 31/12/2026)."),
    }
