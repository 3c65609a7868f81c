from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clientela.catalogs.selectors import (
    customer_type_choices,
    economic_activity_choices,
    ledger_account_choices,
    price_list_choices,
)
from clientela.core.forms import ServiceForm
from clientela.core.phones import RegionPhoneField, RegionPhoneFormMixin, example_number
from clientela.core.widgets import FastSelect
from clientela.users.forms import UsernameField, autocomplete_attrs

from . import taxid
from .models import EDITABLE_FIELDS, PHONE_FIELDS, SECTIONS, Account
from .selectors import SORTS, AccountFilters, account_visible_to

# Required only in some cases; the page marks them when the case applies.
CONDITIONAL_REQUIRED = {
    "contact_name": ("person_kind", "legal"),
    "credit_days": ("payment_terms", "credit"),
    "credit_limit": ("payment_terms", "credit"),
}


# Fields whose label, visibility or example follow the country and person kind: the page asks
# for them again (account_form_hints_view) when either changes.
HINTED_FIELDS = ("tax_id", "tax_dv", "phone", "phone_alt", "mobile")


def _hints_attrs() -> dict[str, Any]:
    """htmx on the country and person kind: redraw the hinted fields, keeping what was typed."""
    return {
        "hx-get": reverse_lazy("account_form_hints"),
        "hx-trigger": "change",
        "hx-include": ", ".join(
            f"form.account-form [name={name}]"
            for name in ("country", "person_kind", *HINTED_FIELDS)
        ),
        "hx-swap": "none",
        "hx-sync": "closest form:replace",
    }


class AccountForm(RegionPhoneFormMixin, ServiceForm):
    # Read in the account's country (the country field of the same form): a Colombian
    # account's "300 123 4567" is +57..., a Panamanian one's "6123-4567" is +507...
    phone = RegionPhoneField(label=_("phone"), region="country")
    phone_alt = RegionPhoneField(label=_("alternate phone"), region="country", required=False)
    mobile = RegionPhoneField(label=_("mobile"), region="country", required=False)
    salesperson = UsernameField(
        label=_("salesperson"),
        required=False,
        help_text=_("Username; leave blank to assign it to yourself."),
    )

    class Meta:
        model = Account
        fields = EDITABLE_FIELDS
        widgets = {
            "person_kind": forms.RadioSelect,
            "payment_terms": forms.RadioSelect,
            "tax_dv": forms.TextInput(attrs={"maxlength": 2, "inputmode": "numeric", "size": 3}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args: Any, can_reassign: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_reassign:
            # Only managers and administrators give an account to someone else: the
            # field is shown read-only, and the service answers a tampered value with 403.
            self.fields["salesperson"].widget.attrs["readonly"] = "readonly"
            self.fields["salesperson"].help_text = ""
        self.fields["customer_type"].queryset = customer_type_choices()  # type: ignore[attr-defined]
        self.fields["economic_activity"].queryset = economic_activity_choices()  # type: ignore[attr-defined]
        self.fields["price_list"].queryset = price_list_choices()  # type: ignore[attr-defined]
        self.fields["ledger_account"].queryset = ledger_account_choices()  # type: ignore[attr-defined]
        self.fields["country"].initial = settings.DEFAULT_COUNTRY
        # Radios need no "---------" choice: a missing answer is reported as required.
        self.fields["person_kind"].choices = Account.PersonKind.choices  # type: ignore[attr-defined]
        self.fields["payment_terms"].choices = Account.PaymentTerms.choices  # type: ignore[attr-defined]
        self.fields["tax_dv"].help_text = _("Panama only; computed when left blank.")
        self.fields["credit_days"].required = False
        self.fields["credit_limit"].required = False
        if can_reassign:
            self.fields["salesperson"].widget.attrs.update(autocomplete_attrs("salesperson"))
        self._follow_country()
        for name, field in self.fields.items():
            if field.required:
                field.widget.attrs["aria-required"] = "true"
            if name in CONDITIONAL_REQUIRED:
                trigger, value = CONDITIONAL_REQUIRED[name]
                field.widget.attrs["data-required-when"] = f"{trigger}={value}"

    def current(self, name: str) -> str:
        """What the field holds now: as typed on a bound form, else its initial value."""
        field = self.fields[name]
        if self.is_bound:
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            return str(raw or "")
        value = self.get_initial_for_field(field, name)
        return str(value or "")

    @property
    def country(self) -> str:
        return self.current("country").strip().upper() or str(settings.DEFAULT_COUNTRY)

    def _follow_country(self) -> None:
        """The tax id is named as the country calls it for this kind of person; the DV is
        Panama's alone; phones show an example of the country's numbers."""
        country, kind = self.country, self.current("person_kind")
        self.fields["tax_id"].label = taxid.tax_id_label(country, kind or None)
        self.shows_dv = country == "PA"
        example = example_number(country)
        for name in PHONE_FIELDS:
            self.fields[name].help_text = _("For example %(example)s") % {"example": example}
        for name in HINTED_FIELDS:
            # Redrawn around the input, never the input itself: what the user typed while
            # the hints were on their way stays (htmx keeps hx-preserve elements).
            self.fields[name].widget.attrs["hx-preserve"] = "true"
        for name in ("country", "person_kind"):
            self.fields[name].widget.attrs.update(_hints_attrs())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Blank credit fields mean zero; the model decides whether that is allowed.
        for name in ("credit_days", "credit_limit"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned

    def sections(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "title": title, "fields": [self[name] for name in names]}
            for key, title, names in SECTIONS
        ]

    @property
    def conditional_names(self) -> list[str]:
        return list(CONDITIONAL_REQUIRED)


class AccountFilterForm(forms.Form):
    """The list's filters: every value lives in the URL so a list can be shared."""

    STATUS_CHOICES = [("", _("Active, restricted and suspended")), ("all", _("All statuses"))]
    YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=STATUS_CHOICES + list(Account.Status.choices)
    )
    customer_type = forms.ChoiceField(label=_("customer type"), required=False)
    salesperson = forms.CharField(label=_("salesperson"), required=False, max_length=150)
    country = forms.ChoiceField(label=_("country"), required=False, widget=FastSelect)
    priority = forms.ChoiceField(
        label=_("priority"), required=False, choices=[("", _("All")), *Account.Priority.choices]
    )
    payment_terms = forms.ChoiceField(
        label=_("payment terms"),
        required=False,
        choices=[("", _("All")), *Account.PaymentTerms.choices],
    )
    is_supplier = forms.ChoiceField(label=_("is supplier"), required=False, choices=YES_NO)
    idle = forms.BooleanField(label=_("No activity in 30 days"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in SORTS for key in (name, f"-{name}")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = list(customer_type_choices())
        # The list shows each row's type in the active language from this same query.
        self.customer_type_names = {ct.pk: ct.display_name for ct in types}
        self.fields["customer_type"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((ct.code, ct.display_name) for ct in types),
        ]
        self.fields["country"].choices = [("", _("All")), *countries]  # type: ignore[attr-defined]
        self.fields["salesperson"].widget.attrs.update(autocomplete_attrs("salesperson"))

    def filters(self) -> AccountFilters:
        """The valid filters; an invalid value is dropped (and shown as an error)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        supplier = data.get("is_supplier") or ""
        return AccountFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            customer_type=data.get("customer_type") or "",
            salesperson=data.get("salesperson") or "",
            country=data.get("country") or "",
            priority=data.get("priority") or "",
            payment_terms=data.get("payment_terms") or "",
            is_supplier={"yes": True, "no": False}.get(supplier),
            idle=bool(data.get("idle")),
            sort=data.get("sort") or "name",
        )


class AccountCodeField(forms.CharField):
    """An account chosen by code from an autocomplete (SPEC §11: the field is named
    `account` and takes the code; never a <select> of every account). Only accounts the
    form's user may see are accepted: set `field.user` in the form's __init__."""

    user: Any = None

    def __init__(self, *, field_name: str = "account", **kwargs: Any) -> None:
        kwargs.setdefault("label", _("account"))
        super().__init__(**kwargs)
        self.widget.attrs.update(account_autocomplete_attrs(field_name))
        self.widget.attrs["maxlength"] = "250"

    def to_python(self, value: Any) -> Account | None:  # type: ignore[override]
        if isinstance(value, Account):
            return value
        code = (super().to_python(value) or "").strip().upper()
        if not code:
            return None
        # "C-000123 · Name" as the datalist shows it: the code is the first word.
        code = code.split()[0]
        account = account_visible_to(self.user).filter(code=code).first()
        if account is None:
            raise forms.ValidationError(_("No account with this code."), code="invalid")
        return account

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Account):
            return value.code
        if isinstance(value, int):
            account = Account.objects.filter(pk=value).only("code").first()
            return account.code if account else ""
        return value


def account_autocomplete_attrs(field_name: str = "account") -> dict[str, Any]:
    """htmx fills <datalist id="<field>-options"> with matching accounts as the user types."""
    return {
        "list": f"{field_name}-options",
        "autocomplete": "off",
        # Lazy: forms are built while the URLconf may still be loading.
        "hx-get": format_lazy("{}?field={}", reverse_lazy("account_autocomplete"), field_name),
        "hx-trigger": "input changed delay:200ms, focus once",
        "hx-target": f"#{field_name}-options",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "hx-push-url": "false",
    }
