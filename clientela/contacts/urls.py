from django.urls import path

from . import views

urlpatterns = [
    path("", views.contact_list_view, name="contact_list"),
    path("new/", views.contact_create_view, name="contact_create"),
    path("vcard/", views.contact_directory_vcard_view, name="contact_directory_vcard"),
    path("<int:pk>/", views.contact_detail_view, name="contact_detail"),
    path("<int:pk>/edit/", views.contact_edit_view, name="contact_edit"),
    path("<int:pk>/delete/", views.contact_delete_view, name="contact_delete"),
    path("<int:pk>/vcard/", views.contact_vcard_view, name="contact_vcard"),
    # The account profile's Contactos panel (htmx).
    path("panel/<str:code>/", views.contact_panel_view, name="contact_panel"),
    path("panel/<str:code>/new/", views.contact_panel_create_view, name="contact_panel_create"),
    path(
        "panel/<str:code>/<int:pk>/edit/", views.contact_panel_edit_view, name="contact_panel_edit"
    ),
    path(
        "panel/<str:code>/<int:pk>/delete/",
        views.contact_panel_delete_view,
        name="contact_panel_delete",
    ),
    path(
        "panel/<str:code>/<int:pk>/primary/",
        views.contact_panel_primary_view,
        name="contact_panel_primary",
    ),
]
