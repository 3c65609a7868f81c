from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("clientela.core.urls")),
    path("", include("clientela.users.urls")),
    path("accounts/", include("clientela.accounts.urls")),
    path("contacts/", include("clientela.contacts.urls")),
    path("opportunities/", include("clientela.opportunities.urls")),
    path("cases/", include("clientela.cases.urls")),
    path("documents/", include("clientela.documents.urls")),
    path("settings/", include("clientela.catalogs.urls")),
    path("admin/", admin.site.urls),
]
