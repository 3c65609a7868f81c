from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list_view, name="case_list"),
    path("new/", views.case_create_view, name="case_create"),
    path("new/contact-field/", views.case_contact_field_view, name="case_contact_field"),
    path("<str:number>/", views.case_detail_view, name="case_detail"),
    path("<str:number>/edit/", views.case_edit_view, name="case_edit"),
    path("<str:number>/comments/", views.case_comment_view, name="case_comment"),
    path("<str:number>/assign/", views.case_assign_view, name="case_assign"),
    path("<str:number>/status/", views.case_status_view, name="case_status"),
    path("<str:number>/delete/", views.case_delete_view, name="case_delete"),
]
