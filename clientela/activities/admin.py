from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Read-only: activities change through the app's pages and services, where the
    version check and the history live."""

    list_display = ("subject", "kind", "account", "assigned_to", "agenda_at", "done")
    list_select_related = ("account", "assigned_to")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
