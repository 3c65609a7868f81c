from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="users/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/autocomplete/", views.user_autocomplete, name="user_autocomplete"),
    path("settings/users/", views.user_list_view, name="user_list"),
    path("settings/users/new/", views.user_create_view, name="user_create"),
    path("settings/users/<str:username>/", views.user_edit_view, name="user_edit"),
]
