from django.urls import path

from . import views

urlpatterns = [
    path("i18n/setlang/", views.language_switch, name="set_language"),
]
