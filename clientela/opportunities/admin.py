from django.contrib import admin
from django.http import HttpRequest

from .models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    """Read-only: opportunities change through the app's forms, board and services, where
    the stage rules, the version check and the history live."""

    list_display = ("name", "account", "stage", "amount", "currency", "owner")
    list_filter = ("stage", "currency")
    search_fields = ("name", "account__code", "account__name")
    list_select_related = ("account", "owner")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Opportunity | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Opportunity | None = None) -> bool:
        return False
