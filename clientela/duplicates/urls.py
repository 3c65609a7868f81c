from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue_view, name="duplicate_queue"),
    path("scan/", views.scan_start_view, name="duplicate_scan"),
    path("scan/progress/", views.scan_progress_view, name="duplicate_scan_progress"),
    path("not-duplicates/", views.not_duplicates_view, name="duplicate_not"),
    path("merge/", views.merge_view, name="duplicate_merge"),
    path("merges/<int:pk>/", views.merge_detail_view, name="merge_detail"),
    path("merges/<int:pk>/undo/", views.merge_undo_view, name="merge_undo"),
    path("account-warning/", views.account_warning_view, name="duplicate_account_warning"),
    path("contact-warning/", views.contact_warning_view, name="duplicate_contact_warning"),
]
