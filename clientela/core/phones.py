"""Phone numbers of accounts and contacts (SPEC §2): read in the customer's country, shown the
way the viewer dials them, linked for calling and WhatsApp.

    parse_phone("300 123 4567 ext 12", "CO")  -> PhoneNumber +573001234567, extension "12"
    format_phone("+573001234567", "CO")       -> "300 1234567"        (national for the viewer)
    format_phone("+573001234567", "PA")       -> "+57 300 1234567"    (international elsewhere)
    tel_uri(number)                           -> "tel:+57-300-1234567;ext=12"
    whatsapp_url(number)                      -> "https://wa.me/573001234567" (mobiles only)

Numbers typed without a country code are read in a region: the account's country (or the
contact's account's), else settings.DEFAULT_COUNTRY. `RegionPhoneField` does that in a form,
taking the region from another field of the same form or from a callable.

Extensions ("ext 12", "x12", "ext. 12", "anexo 12") are kept on the parsed number and in every
display. E.164 has no room for them: `storage_value()` writes "+50761234567;ext=12", the form
libphonenumber reads back (RFC 3966's extension parameter after the E.164 number).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from phonenumber_field import modelfields
from phonenumber_field.phonenumber import PhoneNumber

__all__ = [
    "PhoneNumberField",
    "RegionPhoneField",
    "format_phone",
    "is_mobile",
    "parse_phone",
    "read_phones",
    "storage_value",
    "tel_uri",
    "viewer_region",
    "whatsapp_url",
]

_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_SUPPORTED = phonenumbers.SUPPORTED_REGIONS


def region_or_default(region: object) -> str:
    """An upper-case region phonenumbers knows, or the installation's default country."""
    code = str(region or "").strip().upper()
    return code if code in _SUPPORTED else str(settings.DEFAULT_COUNTRY).upper()


def viewer_region() -> str:
    """The region whose people read the pages: numbers from there are shown nationally."""
    return region_or_default(getattr(settings, "CLIENTELA_REGION", settings.DEFAULT_COUNTRY))


def example_number(region: str) -> str:
    """A number to show in an error message, as someone in `region` would type a mobile."""
    example = phonenumbers.example_number_for_type(
        region_or_default(region), phonenumbers.PhoneNumberType.MOBILE
    )
    if example is None:
        return "+507 6123-4567"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


def _country_name(region: str) -> str:
    return str(countries.name(region) or region)


# The message may be rendered later, in the language active then: so is the country's name.
_lazy_country_name = lazy(_country_name, str)


def _invalid(region: str) -> ValidationError:
    region = region_or_default(region)
    return ValidationError(
        _("Enter a valid phone number of %(country)s (for example %(example)s) or start with +."),
        code="invalid_phone",
        params={"country": _lazy_country_name(region), "example": example_number(region)},
    )


def parse_phone(text: object, region: str | None = None) -> PhoneNumber:
    """Read a typed number in `region` (when it has no +country code); extensions are kept.

    Raises ValidationError(code="invalid_phone") with a translated message naming the region
    and an example, for anything that is not a valid number.
    """
    region = region_or_default(region)
    if isinstance(text, phonenumbers.PhoneNumber):
        raw = phonenumbers.format_number(text, phonenumbers.PhoneNumberFormat.E164)
        if text.extension:
            raw += f" ext {text.extension}"
    else:
        raw = str(text or "").strip()
    # libphonenumber's parser stops at 250 characters; a phone field never needs more than this.
    if not raw or len(raw) > 60:
        raise _invalid(region)
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise _invalid(region) from None
    if not phonenumbers.is_valid_number(parsed):
        raise _invalid(region)
    number = PhoneNumber()
    number.merge_from(parsed)
    return number


def read_phones(data: dict[str, Any], names: Iterable[str], region: object) -> dict[str, Any]:
    """`data` with the phones in `names` that are still text read in `region`: what an API
    client or an importer sends is read as the form reads it. Numbers a form already parsed
    (in the same region) and blanks are left as they are. Every bad number is reported at once,
    as ValidationError({name: ...})."""
    read = dict(data)
    errors: dict[str, ValidationError] = {}
    for name in names:
        value = read.get(name)
        if not isinstance(value, str):
            continue
        if not value.strip():
            read[name] = ""
            continue
        try:
            read[name] = parse_phone(value, str(region or ""))
        except ValidationError as exc:
            errors[name] = exc
    if errors:
        raise ValidationError(errors)
    return read


def _as_number(value: object) -> phonenumbers.PhoneNumber | None:
    if not value:
        return None
    if isinstance(value, phonenumbers.PhoneNumber):
        return value
    try:
        return phonenumbers.parse(str(value), None)
    except phonenumbers.NumberParseException:
        return None


def format_phone(value: object, region: str | None = None) -> str:
    """National format for a number of the viewer's region, international for any other one.

    Anything that is not a number with a country code is returned as it was given."""
    number = _as_number(value)
    if number is None:
        return str(value or "")
    viewer = region_or_default(region) if region else viewer_region()
    own = phonenumbers.region_code_for_number(number) == viewer
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if own
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def tel_uri(value: object) -> str:
    """`tel:` URI of a number (RFC 3966, extension included); "" when it is not a number."""
    number = _as_number(value)
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)


def is_mobile(value: object) -> bool:
    number = _as_number(value)
    return number is not None and phonenumbers.number_type(number) in _MOBILE_TYPES


def whatsapp_url(value: object) -> str:
    """`https://wa.me/<E.164 digits>` for a mobile number (WhatsApp's click-to-chat); "" else."""
    number = _as_number(value)
    if number is None or phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return ""
    digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
    return f"https://wa.me/{digits}"


def storage_value(value: object) -> str:
    """E.164, with ";ext=NN" appended when the number has an extension."""
    number = _as_number(value)
    if number is None:
        return ""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


# ── Form field ───────────────────────────────────────────────────────────────────────────────────

RegionSource = str | Callable[[forms.BaseForm], object]


class RegionPhoneInput(forms.TextInput):
    input_type = "tel"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "tel", "inputmode": "tel", **(attrs or {})})


class RegionPhoneField(forms.CharField):
    """A phone typed the way people of the region write it; cleans to a PhoneNumber (or "").

    `region` names another field of the form whose value is the country ("country"), or is a
    callable taking the bound form (the contact form passes its account's country). The form
    must call `bind_phone_regions(form)` before rendering and cleaning; `RegionPhoneFormMixin`
    does.
    """

    widget = RegionPhoneInput
    default_error_messages = {
        "required": _("Enter a phone number."),
    }

    def __init__(self, *, region: RegionSource | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)
        self.region_source = region
        self.region = region_or_default(None)

    def resolve_region(self, form: forms.BaseForm) -> str:
        source = self.region_source
        if source is None:
            return region_or_default(None)
        if callable(source):
            return region_or_default(source(form))
        field = form.fields.get(source)
        if form.is_bound and field is not None:
            raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(source))
            if raw:
                return region_or_default(raw)
        return region_or_default(form.get_initial_for_field(field, source) if field else None)

    def prepare_value(self, value: Any) -> Any:
        # What the input shows: the stored number as its owner's region writes it.
        if isinstance(value, phonenumbers.PhoneNumber) or (
            isinstance(value, str) and value.startswith("+")
        ):
            return format_phone(value, self.region)
        return value

    def to_python(self, value: Any) -> PhoneNumber | str:
        text = super().to_python(value)
        if text in self.empty_values:
            return ""
        return parse_phone(text, self.region)


def bind_phone_regions(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, RegionPhoneField):
            field.region = field.resolve_region(form)


class RegionPhoneFormMixin(forms.BaseForm):
    """Resolves every RegionPhoneField's region: when the form is built (so a stored number is
    shown in its owner's national format) and again before cleaning (a subclass may set what a
    region callable reads after its own __init__)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_phone_regions(self)

    def full_clean(self) -> None:
        bind_phone_regions(self)
        super().full_clean()


# ── Model field ──────────────────────────────────────────────────────────────────────────────────


class PhoneNumberField(modelfields.PhoneNumberField):
    """django-phonenumber-field's model field, keeping the extension: a number is stored as
    `storage_value()` ("+5072634567;ext=12", plain E.164 when it has none), which its parser
    reads back whole. Its own get_prep_value writes E.164 only and would drop "ext 12".

    `history_value`/`history_display` are the hooks clientela.audit uses: history keeps the
    extension (so changing only it is a change) and shows the number as the viewer dials it.
    """

    def get_prep_value(self, value: Any) -> Any:
        number = models.CharField.get_prep_value(self, value)
        if not number:
            return number
        if number.is_valid():
            return storage_value(number)
        return number.raw_input

    def value_to_string(self, obj: models.Model) -> str:
        return storage_value(self.value_from_object(obj))

    def history_value(self, value: object) -> str | None:
        return storage_value(value) or None

    def history_display(self, stored: str) -> str:
        return format_phone(stored)
