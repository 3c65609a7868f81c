from django.urls import path

from . import views

urlpatterns = [
    path("accounts/import/", views.import_upload_view, {"kind": "accounts"}, name="account_import"),
    path("contacts/import/", views.import_upload_view, {"kind": "contacts"}, name="contact_import"),
    path("imports/", views.import_list_view, name="import_list"),
    path("imports/<int:pk>/", views.import_detail_view, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress_view, name="import_progress"),
    path("imports/<int:pk>/mapping/", views.import_mapping_view, name="import_mapping"),
    path("imports/<int:pk>/commit/", views.import_commit_view, name="import_commit"),
    path("imports/<int:pk>/refused.<str:fmt>", views.import_refused_view, name="import_refused"),
    path("accounts/export/", views.export_view, {"kind": "accounts"}, name="account_export"),
    path("contacts/export/", views.export_view, {"kind": "contacts"}, name="contact_export"),
    path(
        "opportunities/export/",
        views.export_view,
        {"kind": "opportunities"},
        name="opportunity_export",
    ),
    path("cases/export/", views.export_view, {"kind": "cases"}, name="case_export"),
]
