from django.urls import reverse


def autocomplete_attrs(field_name: str) -> dict[str, str]:
    """Attributes turning a text input into a user autocomplete: htmx fills the
    <datalist id="<field>-options"> as the user types (SPEC §11: no <select> of users)."""
    return {
        "list": f"{field_name}-options",
        "autocomplete": "off",
        "hx-get": f"{reverse('user_autocomplete')}?field={field_name}",
        "hx-trigger": "input changed delay:200ms, focus once",
        "hx-target": f"#{field_name}-options",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "hx-push-url": "false",
    }
