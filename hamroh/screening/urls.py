"""Pages of the screening app. Desk pages live under /desk/screening/, public ones under /screening/."""

from django.urls import path

from hamroh.screening import views

app_name = "screening"

urlpatterns = [
    path("desk/screening/", views.overview, name="overview"),
    path("desk/screening/lists/new/", views.list_new, name="list_new"),
    path("desk/screening/lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("desk/screening/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("desk/screening/screen/", views.screen, name="screen"),
    path("desk/screening/runs/", views.run_list, name="run_list"),
    path("desk/screening/runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("desk/screening/queue/", views.queue, name="queue"),
    path("desk/screening/matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("desk/screening/figures/", views.figures, name="figures"),
    path("desk/screening/notifications/", views.notifications, name="notifications"),
    path(
        "desk/screening/notifications/<int:pk>/",
        views.notification_detail,
        name="notification_detail",
    ),
    path("screening/check/", views.self_check_page, name="self_check"),
]
