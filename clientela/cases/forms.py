from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clientela.accounts.forms import AccountCodeField, account_autocomplete_attrs
from clientela.accounts.models import Account
from clientela.contacts.models import Contact
from clientela.core.forms import ServiceForm
from clientela.users.forms import UsernameField, autocomplete_attrs
from clientela.users.models import User

from .models import COMMENT_MAX_LENGTH, Case
from .selectors import SCOPES, CaseFilters, contacts_for_account
from .services import CREATE_FIELDS


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        contact: Contact = obj
        return f"{contact} · {contact.job_title}" if contact.job_title else str(contact)


class CaseForm(ServiceForm):
    """Open a case (with `account`) or change one (the account is fixed once opened).
    The contact <select> lists only the chosen account's contacts: a short list."""

    contact = ContactChoiceField(
        label=_("contact"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("— No contact —"),
    )
    assignee = UsernameField(
        label=_("assignee"),
        required=False,
        help_text=_("Username of whoever works the case; blank: nobody yet."),
    )

    class Meta:
        model = Case
        fields = CREATE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "subject": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance is not None:
            del self.fields["account"]
        else:
            # Built here, not in the class body: the field reverses its autocomplete URL,
            # which cannot happen while the URLconf itself is being imported.
            account_field = AccountCodeField(required=True)
            account_field.user = user
            self.fields["account"] = account_field
        self.account_choice = self.chosen_account()
        self.fields["contact"].queryset = contacts_for_account(  # type: ignore[attr-defined]
            user=user, account=self.account_choice
        )
        self.fields["priority"].choices = Case.Priority.choices  # type: ignore[attr-defined]
        self.fields["assignee"].widget.attrs.update(autocomplete_attrs("assignee"))
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def chosen_account(self) -> Account | None:
        """The account whose contacts the form offers: the case's, the one typed, or the
        one the page was opened for; only an account the user may see."""
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


class CaseFilterForm(forms.Form):
    """The queue's filters; every value lives in the URL so a view can be shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    scope = forms.ChoiceField(required=False, choices=[(s, s) for s in SCOPES])
    priority = forms.ChoiceField(
        label=_("priority"),
        required=False,
        choices=[("", pgettext_lazy("case priority", "All")), *Case.Priority.choices],
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All pending")), *Case.Status.choices],
    )
    account = forms.CharField(label=_("account"), required=False, max_length=250)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].widget.attrs.update(account_autocomplete_attrs("account"))
        self.fields["account"].widget.attrs["placeholder"] = _("Code")

    def filters(self) -> CaseFilters:
        """The valid filters; an invalid value is dropped."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        account = (data.get("account") or "").strip().upper()
        return CaseFilters(
            q=data.get("q") or "",
            scope=data.get("scope") or "all",
            priority=data.get("priority") or "",
            status=data.get("status") or "",
            # "C-000123 · Name" as the datalist shows it: the code is the first word.
            account=account.split()[0] if account else "",
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Case.Status.choices)
    resolution = forms.CharField(
        label=_("resolution"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False)
