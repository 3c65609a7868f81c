from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Case, CaseComment


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: cases change through the app's pages and services, where the workflow,
    the number sequence, the version check and the history live."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "subject", "account", "priority", "status", "assignee", "due_at")
    list_filter = ("status", "priority")
    search_fields = ("number", "subject", "account__code", "account__name")
    list_select_related = ("account", "assignee")


@admin.register(CaseComment)
class CaseCommentAdmin(ReadOnlyAdmin):
    list_display = ("case", "author", "created_at")
    search_fields = ("case__number",)
    list_select_related = ("case", "author")
