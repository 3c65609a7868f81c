from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientela.accounts.forms import AccountCodeField, account_autocomplete_attrs
from clientela.accounts.models import Account
from clientela.cases.models import Case
from clientela.contacts.models import Contact
from clientela.core.access import scope_to_user
from clientela.core.dates import DayFirstDateField
from clientela.core.forms import ServiceForm
from clientela.opportunities.models import Opportunity
from clientela.users.forms import UsernameField, autocomplete_attrs
from clientela.users.models import User

from .models import Activity
from .selectors import ActivityFilters
from .services import CREATE_FIELDS

# Day first, as every date of the product (SPEC §1); ISO accepted too.
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]
DATETIME_DISPLAY = "%d/%m/%Y %H:%M"


class DayFirstDateTimeField(forms.DateTimeField):
    """A date and time typed as 31/12/2026 14:30 (a text input, never a native picker)."""

    default_error_messages = {
        "invalid": _("Enter a date and time as dd/mm/yyyy hh:mm (for example 31/12/2026 14:30)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateTimeInput(
                format=DATETIME_DISPLAY,
                attrs={
                    "placeholder": _("dd/mm/yyyy hh:mm"),
                    "autocomplete": "off",
                    "maxlength": "16",
                    "size": "16",
                    "class": "datetime-input",
                },
            ),
        )
        super().__init__(**kwargs)


class ActivityForm(ServiceForm):
    """Plan or log an activity (with `account`), or change one (the account is fixed).
    The contact, opportunity and case <select>s list only the account's: short lists."""

    starts_at = DayFirstDateTimeField(label=_("date and time"))
    ends_at = DayFirstDateTimeField(label=_("ends at"), required=False)
    remind_at = DayFirstDateTimeField(label=_("reminder"), required=False)
    due_date = DayFirstDateField(label=_("due date"), required=False)
    assigned_to = UsernameField(
        label=_("assigned to"),
        required=False,
        help_text=_("Username; blank: you, or whoever it was assigned to."),
    )
    contact = forms.ModelChoiceField(
        label=_("contact"), queryset=Contact.objects.none(), required=False
    )
    opportunity = forms.ModelChoiceField(
        label=_("opportunity"), queryset=Opportunity.objects.none(), required=False
    )
    case = forms.ModelChoiceField(label=_("case"), queryset=Case.objects.none(), required=False)
    done = forms.BooleanField(label=_("Already done"), required=False)

    class Meta:
        model = Activity
        fields = CREATE_FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "subject": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance is not None:
            del self.fields["account"]
            del self.fields["done"]
        else:
            account_field = AccountCodeField(required=True)
            account_field.user = user
            self.fields["account"] = account_field
        account = self.chosen_account()
        self.account_choice = account
        if account is not None:
            self.fields["contact"].queryset = scope_to_user(  # type: ignore[attr-defined]
                user, Contact.objects.filter(account=account)
            ).order_by("last_name", "first_name")
            self.fields["opportunity"].queryset = scope_to_user(  # type: ignore[attr-defined]
                user, Opportunity.objects.filter(account=account)
            ).order_by("-id")
            self.fields["case"].queryset = scope_to_user(  # type: ignore[attr-defined]
                user, Case.objects.filter(account=account)
            ).order_by("-id")
        self.fields["result"].required = False
        self.fields["assigned_to"].widget.attrs.update(autocomplete_attrs("assigned_to"))
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if data.get("assigned_to") is None:
            data.pop("assigned_to", None)  # the service's default, or unchanged
        return data

    def chosen_account(self) -> Account | None:
        if self.instance is not None:
            return self.instance.account  # type: ignore[attr-defined]
        field: AccountCodeField = self.fields["account"]  # type: ignore[assignment]
        value = self.data.get(self.add_prefix("account")) if self.is_bound else None
        if value is None:
            value = self.initial.get("account")
        try:
            return field.to_python(value)
        except forms.ValidationError:
            return None


class QuickCallForm(forms.Form):
    """The panel's "Registrar llamada": a call just made, logged as done."""

    subject = forms.CharField(label=_("subject"), max_length=200, initial=_("Call"))
    result = forms.ChoiceField(
        label=_("result"), choices=Activity.Result.choices, initial=Activity.Result.ANSWERED
    )
    notes = forms.CharField(
        label=_("notes"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuickPlanForm(forms.Form):
    """The panel's "Planear seguimiento": the next step, pending, on a given day."""

    kind = forms.ChoiceField(label=_("kind"), choices=Activity.Kind.choices, initial="call")
    subject = forms.CharField(label=_("subject"), max_length=200)
    starts_at = DayFirstDateTimeField(label=_("date and time"))
    remind_at = DayFirstDateTimeField(label=_("reminder"), required=False)


class RescheduleForm(forms.Form):
    starts_at = DayFirstDateTimeField(label=_("new date and time"))


class ActivityFilterForm(forms.Form):
    account = forms.CharField(label=_("account"), required=False, max_length=250)
    assigned = forms.CharField(label=_("assigned to"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", pgettext_lazy("activity kind", "All")), *Activity.Kind.choices],
    )
    done = forms.ChoiceField(
        label=_("state"),
        required=False,
        choices=[
            ("", pgettext_lazy("activity state", "All")),
            ("0", pgettext_lazy("activity state", "Pending")),
            ("1", pgettext_lazy("activity state", "Done")),
        ],
    )
    due_from = DayFirstDateField(label=_("from"), required=False)
    due_to = DayFirstDateField(label=_("to"), required=False)
    sort = forms.CharField(required=False, max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].widget.attrs.update(account_autocomplete_attrs("account"))
        self.fields["account"].widget.attrs["placeholder"] = _("Code")
        self.fields["assigned"].widget.attrs.update(autocomplete_attrs("assigned"))

    def filters(self) -> ActivityFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        account = (data.get("account") or "").strip().upper()
        done = data.get("done") or ""
        due_from: date | None = data.get("due_from")
        due_to: date | None = data.get("due_to")
        return ActivityFilters(
            account=account.split()[0] if account else "",
            assigned=(data.get("assigned") or "").strip(),
            kind=data.get("kind") or "",
            done=None if done == "" else done == "1",
            due_from=due_from,
            due_to=due_to,
            sort=data.get("sort") or "",
        )
