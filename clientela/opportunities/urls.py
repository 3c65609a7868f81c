from django.urls import path

from . import views

urlpatterns = [
    path("", views.opportunity_list_view, name="opportunity_list"),
    path("board/", views.opportunity_board_view, name="opportunity_board"),
    path("new/", views.opportunity_create_view, name="opportunity_create"),
    path("form-check/", views.opportunity_form_check_view, name="opportunity_form_check"),
    path("<int:pk>/", views.opportunity_detail_view, name="opportunity_detail"),
    path("<int:pk>/edit/", views.opportunity_edit_view, name="opportunity_edit"),
    path("<int:pk>/move/", views.opportunity_move_view, name="opportunity_move"),
    path("<int:pk>/delete/", views.opportunity_delete_view, name="opportunity_delete"),
]
