from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

from clientela.accounts.forms import AccountCodeField, account_autocomplete_attrs
from clientela.accounts.models import Account
from clientela.core.forms import ServiceForm
from clientela.core.templatetags.clientela import phone as phone_display

from .models import LETTERS, OTHER_INITIAL, Contact
from .selectors import SORTS, ContactFilters
from .services import EDITABLE_FIELDS


class PhoneInput(forms.TextInput):
    """Shows a stored number the way the app prints it (national for our country)."""

    input_type = "tel"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, PhoneNumber):
            return phone_display(value) or None
        return super().format_value(value)


class ContactForm(ServiceForm):
    """A contact's fields. Phones are read in the account's country when typed without a
    country code ('300 123 4567' of a Colombian account is +57…), else in ours.

    `account`: the fixed account of the profile panel (the field is then left out), or
    None on the full pages, where the user picks one by code (optional)."""

    phone = forms.CharField(label=_("phone"), required=False, max_length=40, widget=PhoneInput)
    mobile = forms.CharField(label=_("mobile"), required=False, max_length=40, widget=PhoneInput)

    class Meta:
        model = Contact
        fields = EDITABLE_FIELDS
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, user: Any, account: Account | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_account = account
        if account is not None:
            del self.fields["account"]
        else:
            # Built here, not on the class: its autocomplete URL needs the URLconf loaded.
            field = AccountCodeField(required=False, help_text=_("Code of the account; optional."))
            field.user = user
            self.fields["account"] = field
        self.fields["is_primary"].help_text = _(
            "The account's main contact; the current one stops being primary."
        )
        for each in self.fields.values():
            if each.required:
                each.widget.attrs["aria-required"] = "true"

    def _region(self, account: Account | None) -> str:
        return str(account.country) if account is not None else settings.DEFAULT_COUNTRY

    def _parse_phone(self, name: str, account: Account | None) -> None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            self.cleaned_data[name] = ""
            return
        try:
            number = phonenumbers.parse(raw, self._region(account))
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.add_error(
                name,
                forms.ValidationError(
                    _("Enter a valid phone number (e.g. %(example)s)."),
                    code="invalid_phone",
                    params={"example": "6123-4567, +57 300 123 4567"},
                ),
            )
            return
        self.cleaned_data[name] = PhoneNumber.from_string(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        account = self.fixed_account or cleaned.get("account")
        for name in ("phone", "mobile"):
            if name not in self.errors:
                self._parse_phone(name, account)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if self.fixed_account is not None:
            data["account"] = self.fixed_account
        return data


class ContactFilterForm(forms.Form):
    """The directory's filters: every value lives in the URL so a list can be shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    account = forms.CharField(label=_("account"), required=False, max_length=250)
    letter = forms.ChoiceField(
        required=False, choices=[("", "")] + [(c, c) for c in (*LETTERS, OTHER_INITIAL)]
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in SORTS for key in (name, f"-{name}")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].widget.attrs.update(account_autocomplete_attrs("account"))
        self.fields["account"].widget.attrs["placeholder"] = _("Code or name")

    def filters(self) -> ContactFilters:
        """The valid filters; an invalid value is dropped."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return ContactFilters(
            q=data.get("q") or "",
            account=(data.get("account") or "").strip(),
            letter=data.get("letter") or "",
            sort=data.get("sort") or "name",
        )
