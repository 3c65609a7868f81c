from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role
from .selectors import user_get_active_by_username


def autocomplete_attrs(field_name: str) -> dict[str, Any]:
    """Attributes turning a text input into a user autocomplete: htmx fills the
    <datalist id="<field>-options"> as the user types (SPEC §11: no <select> of users)."""
    return {
        "list": f"{field_name}-options",
        "autocomplete": "off",
        # Lazy: forms are built while the URLconf may still be loading.
        "hx-get": format_lazy("{}?field={}", reverse_lazy("user_autocomplete"), field_name),
        "hx-trigger": "input changed delay:200ms, focus once",
        "hx-target": f"#{field_name}-options",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "hx-push-url": "false",
    }


class UsernameField(forms.CharField):
    """A user chosen by username from an autocomplete, never a <select> of all users."""

    def to_python(self, value: Any) -> User | None:  # type: ignore[override]
        if isinstance(value, User):
            return value
        username = super().to_python(value)
        if not username:
            return None
        user = user_get_active_by_username(username)
        if user is None:
            raise forms.ValidationError(_("No active user with this username."), code="invalid")
        return user

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, User):
            return value.username
        if isinstance(value, int):
            user = User.objects.filter(pk=value).only("username").first()
            return user.username if user else ""
        return value


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=True), strip=False
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."), code="unique")
        return username


class UserEditForm(forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A deactivated user is logged out at once and cannot log in."),
    )
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        strip=False,
        required=False,
        help_text=_("Leave blank to keep the current password."),
    )
