"""The account's documents at the path SPEC §11 gives them, for config/urls.py:

path("accounts/<str:code>/documents/", include("clientela.documents.account_urls")),
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.account_documents_view, name="account_documents"),
]
