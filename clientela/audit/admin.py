from django.contrib import admin
from django.http import HttpRequest

from .models import HistoryEntry


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    """Readable by administrators; nobody edits or deletes history."""

    list_display = ("at", "user", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr",)
    list_select_related = ("user", "content_type")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HistoryEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: HistoryEntry | None = None) -> bool:
        return False
