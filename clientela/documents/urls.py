from django.urls import path

from . import views

# Mounted at /documents/ by config/urls.py; the upload URL of SPEC §11 lives under
# /accounts/<code>/documents/ (account_urls.py).
urlpatterns = [
    path("<int:pk>/", views.document_detail_view, name="document_detail"),
    path("<int:pk>/download/", views.document_download_view, name="document_download"),
    path("<int:pk>/preview/", views.document_preview_view, name="document_preview"),
    path("<int:pk>/edit/", views.document_edit_view, name="document_edit"),
    path("<int:pk>/delete/", views.document_delete_view, name="document_delete"),
]
