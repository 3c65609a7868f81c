"""Text typed by people or programs, checked the same way by every form and API schema
(issue 14): leading and trailing whitespace is stripped before any rule runs (a name of
spaces is an empty name), and single-line fields — names, titles, subjects, codes —
refuse line breaks, control characters and the bidi overrides that make text read
differently from what it holds (U+202A to U+202E, U+2066 to U+2069). File names have their
own, stricter check (documents.filetypes)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Fields that hold paragraphs (TextField in the models): line breaks and tabs belong there.
MULTILINE_FIELDS = frozenset({"description", "resolution", "body", "notes"})

_NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

SINGLE_LINE_MESSAGE = _(
    "Line breaks, control characters and text-direction marks are not allowed in this field."
)


def fits_one_line(value: str) -> bool:
    return _NOT_ON_ONE_LINE.search(value) is None


def validate_single_line(value: object) -> None:
    if isinstance(value, str) and not fits_one_line(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")
