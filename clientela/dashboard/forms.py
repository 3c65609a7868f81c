from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clientela.core.currencies import company_currency, is_currency
from clientela.users.forms import autocomplete_attrs

from .selectors import DashboardFilters, owner_named


class DashboardFilterForm(forms.Form):
    """Inicio's filters; every value lives in the URL. An invalid value is dropped."""

    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("month", _("This month")),
            ("quarter", _("This quarter")),
            ("year", _("This year")),
        ],
    )
    owner = forms.CharField(label=_("Salesperson"), required=False, max_length=150)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)

    def __init__(self, *args: Any, owner_scoped: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owner_scoped:
            # A salesperson's figures are their own: no one else to choose.
            del self.fields["owner"]
        else:
            self.fields["owner"].widget.attrs.update(autocomplete_attrs("owner"))
        self.fields["currency"].widget.attrs.update(
            {"placeholder": company_currency(), "size": 4, "autocapitalize": "characters"}
        )

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if code and not is_currency(code):
            raise forms.ValidationError(_("Unknown currency."))
        return code

    def clean_owner(self) -> str:
        text = (self.cleaned_data.get("owner") or "").strip()
        if text and owner_named(text) is None:
            raise forms.ValidationError(_("No salesperson by that name."))
        return text

    def filters(self) -> DashboardFilters:
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        return DashboardFilters(
            period=data.get("period") or "month",
            owner=owner_named(data.get("owner") or ""),
            currency=data.get("currency") or company_currency(),
        )
