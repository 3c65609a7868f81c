from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clientela.accounts.forms import AccountCodeField, account_autocomplete_attrs
from clientela.accounts.models import Account
from clientela.accounts.selectors import account_visible_to
from clientela.core.forms import ServiceForm
from clientela.core.phones import RegionPhoneField, RegionPhoneFormMixin, bind_phone_regions

from .models import LETTERS, OTHER_INITIAL, Contact
from .selectors import SORTS, ContactFilters
from .services import EDITABLE_FIELDS


def _account_country(form: Any) -> str:
    """The country the contact's phones are read in: its account's, as chosen on the form
    (the panel's fixed account, the code typed, or the record's account), else ours."""
    account = form.fixed_account
    if account is None and form.is_bound:
        code = str(form.data.get(form.add_prefix("account"), "")).strip().split(" ")[0].upper()
        if code:
            if code not in form.countries_by_code:
                found = account_visible_to(form.user).filter(code=code).values_list("country")
                form.countries_by_code[code] = str(next(iter(found), ("",))[0])
            return form.countries_by_code[code]
        return ""
    if account is None and "account" in form.fields:
        initial = form.get_initial_for_field(form.fields["account"], "account")
        account = initial if isinstance(initial, Account) else None
    return str(account.country) if account is not None else ""


class ContactForm(RegionPhoneFormMixin, ServiceForm):
    """A contact's fields. Phones are read in the account's country when typed without a
    country code ('300 123 4567' of a Colombian account is +57…), else in ours; the same
    field as the account form's, extensions kept.

    `account`: the fixed account of the profile panel (the field is then left out), or
    None on the full pages, where the user picks one by code (optional)."""

    phone = RegionPhoneField(label=_("phone"), required=False, region=_account_country)
    mobile = RegionPhoneField(label=_("mobile"), required=False, region=_account_country)

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
        # Read by the phones' region while the form is built.
        self.user = user
        self.fixed_account = account
        self.countries_by_code: dict[str, str] = {}
        super().__init__(*args, **kwargs)
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
        bind_phone_regions(self)

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
