from django.contrib import admin
from django.http import HttpRequest

from .models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Read-only: contacts change through the app's forms and services, where the
    primary-contact rule and the history live."""

    list_display = ("last_name", "first_name", "email", "account", "is_primary")
    list_filter = ("is_primary",)
    search_fields = ("last_name", "first_name", "email", "account__code")
    list_select_related = ("account",)
    raw_id_fields = ("account",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return False
