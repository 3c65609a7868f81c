from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("clientela.core.urls")),
    path("", include("clientela.dashboard.urls")),
    path("", include("clientela.users.urls")),
    # Before the modules' own URLs: /accounts/import/ and /accounts/export/ are not codes.
    path("", include("clientela.imports.urls")),
    path("accounts/<str:code>/documents/", include("clientela.documents.account_urls")),
    path("accounts/", include("clientela.accounts.urls")),
    path("contacts/", include("clientela.contacts.urls")),
    path("opportunities/", include("clientela.opportunities.urls")),
    path("cases/", include("clientela.cases.urls")),
    path("documents/", include("clientela.documents.urls")),
    path("", include("clientela.activities.urls")),
    path("settings/", include("clientela.catalogs.urls")),
    path("duplicates/", include("clientela.duplicates.urls")),
    path("settings/api-tokens/", include("clientela.api.token_urls")),
    path("api/v1/", include(("clientela.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]
