from django.urls import path

from . import views

urlpatterns = [
    path("", views.account_list_view, name="account_list"),
    path("new/", views.account_create_view, name="account_create"),
    path("autocomplete/", views.account_autocomplete_view, name="account_autocomplete"),
    path("form-hints/", views.account_form_hints_view, name="account_form_hints"),
    path("<str:code>/", views.account_detail_view, name="account_detail"),
    path("<str:code>/edit/", views.account_edit_view, name="account_edit"),
    path("<str:code>/delete/", views.account_delete_view, name="account_delete"),
    path("<str:code>/history/", views.account_history_view, name="account_history"),
    path("<str:code>/logo/", views.account_logo_upload_view, name="account_logo_upload"),
    path("<str:code>/logo/<str:size>.webp", views.account_logo_view, name="account_logo"),
]
