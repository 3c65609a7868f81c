from django.contrib import admin
from django.http import HttpRequest

from .models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Read-only: accounts change through the app's forms and services, where the
    business rules, the code sequence and the version check live."""

    list_display = ("code", "name", "tax_id", "country", "status", "salesperson")
    list_filter = ("status", "customer_type", "country")
    search_fields = ("code", "name", "tax_id", "email")
    list_select_related = ("salesperson",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Account | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Account | None = None) -> bool:
        return False
