from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clientela.accounts.forms import AccountCodeField, account_autocomplete_attrs
from clientela.core.dates import DayFirstDateField
from clientela.core.forms import ServiceForm
from clientela.users.forms import UsernameField, autocomplete_attrs
from clientela.users.models import User

from .models import Opportunity
from .selectors import DEFAULT_SORT, SORTS, OpportunityFilters
from .services import EDITABLE_FIELDS

# Offered in the currency field's suggestions; any ISO 4217 code is accepted.
COMMON_CURRENCIES = [
    "USD",
    "PAB",
    "EUR",
    "MXN",
    "GTQ",
    "HNL",
    "NIO",
    "CRC",
    "DOP",
    "COP",
    "PEN",
    "BOB",
    "CLP",
    "ARS",
    "UYU",
    "PYG",
    "BRL",
]


class OpportunityForm(ServiceForm):
    owner = UsernameField(
        label=_("owner"),
        required=False,
        help_text=_("Username; leave blank for the account's salesperson."),
    )
    # Day first whatever the browser's language (a native date input follows the browser).
    expected_close_date = DayFirstDateField(label=_("expected close date"), required=False)

    class Meta:
        model = Opportunity
        fields = EDITABLE_FIELDS
        widgets = {
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
            "probability": forms.NumberInput(attrs={"min": "0", "max": "100", "step": "1"}),
            "currency": forms.TextInput(
                attrs={"size": 4, "maxlength": 3, "list": "currency-options", "autocomplete": "off"}
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
            "lost_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, can_reassign: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built here, not on the class: its autocomplete URL cannot be reversed while
        # the URLconf is still importing this module.
        account_field = AccountCodeField()
        account_field.user = user
        self.fields["account"] = account_field
        self.fields["stage"].choices = Opportunity.Stage.choices  # type: ignore[attr-defined]
        self.fields["currency"].initial = settings.DEFAULT_CURRENCY
        self.fields["probability"].help_text = _("Percent, 0 to 100; blank for the stage's usual.")
        self.fields["lost_reason"].help_text = _("Required when the stage is Lost.")
        self.fields["lost_reason"].widget.attrs["data-required-when"] = "stage=lost"
        if can_reassign:
            self.fields["owner"].widget.attrs.update(autocomplete_attrs("owner"))
        else:
            # Giving an opportunity to someone else is for managers: the field is shown
            # read-only, and the service answers a tampered value with 403.
            self.fields["owner"].widget.attrs["readonly"] = "readonly"
            self.fields["owner"].help_text = ""
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    @property
    def currencies(self) -> list[str]:
        return COMMON_CURRENCIES


class OpportunityFilterForm(forms.Form):
    """The list's and the board's filters: every value lives in the URL."""

    STATE_CHOICES = [("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    stage = forms.ChoiceField(
        label=_("stage"),
        required=False,
        choices=[("", _("All stages")), *Opportunity.Stage.choices],
    )
    state = forms.ChoiceField(label=_("Open / closed"), required=False, choices=STATE_CHOICES)
    owner = forms.CharField(label=_("owner"), required=False, max_length=150)
    account = forms.CharField(label=_("account"), required=False, max_length=250)
    close_from = DayFirstDateField(label=_("Expected close from"), required=False)
    close_to = DayFirstDateField(label=_("Expected close to"), required=False)
    closed_from = DayFirstDateField(label=_("Closed from"), required=False)
    closed_to = DayFirstDateField(label=_("Closed to"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for name in SORTS for key in (name, f"-{name}")],
    )

    # The board shows every stage: these filters belong to the list only.
    LIST_ONLY = ("stage", "state", "closed_from", "closed_to", "sort")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].widget.attrs.update(autocomplete_attrs("owner"))
        self.fields["account"].widget.attrs.update(account_autocomplete_attrs("account"))

    def filters(self) -> OpportunityFilters:
        """The valid filters; an invalid value is dropped (and shown as an error)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        # "C-000123 · Name" as the account datalist shows it: the code is the first word.
        account = (data.get("account") or "").strip().split(" ")[0].upper()
        return OpportunityFilters(
            q=data.get("q") or "",
            stage=data.get("stage") or "",
            state=data.get("state") or "",
            owner=(data.get("owner") or "").strip(),
            account=account,
            close_from=data.get("close_from"),
            close_to=data.get("close_to"),
            closed_from=data.get("closed_from"),
            closed_to=data.get("closed_to"),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def board_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in (*self.LIST_ONLY, "q")]

    def list_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ("q", "sort")]
