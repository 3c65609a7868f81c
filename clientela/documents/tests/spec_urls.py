"""config/urls.py as it will be once the lead mounts the SPEC §11 path (see account_urls)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("accounts/<str:code>/documents/", include("clientela.documents.account_urls")),
]
