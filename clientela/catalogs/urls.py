from django.urls import path

from . import views

urlpatterns = [path("", views.settings_index, name="settings")]
