from django.urls import path

from . import views

urlpatterns = [
    path("activities/", views.activity_list_view, name="activity_list"),
    path("activities/new/", views.activity_create_view, name="activity_create"),
    path("activities/panel/", views.activity_panel_view, name="activity_panel"),
    path("activities/quick/<str:what>/", views.activity_quick_view, name="activity_quick"),
    path("activities/calendar/revoke/", views.calendar_revoke_view, name="calendar_revoke"),
    path("activities/<int:pk>/", views.activity_detail_view, name="activity_detail"),
    path("activities/<int:pk>.ics", views.activity_ics_view, name="activity_ics"),
    path("activities/<int:pk>/edit/", views.activity_edit_view, name="activity_edit"),
    path("activities/<int:pk>/done/", views.activity_done_view, name="activity_done"),
    path(
        "activities/<int:pk>/reschedule/",
        views.activity_reschedule_view,
        name="activity_reschedule",
    ),
    path("activities/<int:pk>/delete/", views.activity_delete_view, name="activity_delete"),
    path("today/", views.today_view, name="today"),
    path("calendar/<str:secret>.ics", views.calendar_feed_view, name="calendar_feed"),
    path("notifications/", views.notification_list_view, name="notification_list"),
    path("notifications/bell/", views.notification_bell_view, name="notification_bell"),
    path("notifications/read/", views.notification_read_view, name="notification_read"),
]
