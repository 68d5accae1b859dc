"""Pages of the stats app. Desk pages live under /desk/stats/, public ones under /stats/."""

from django.urls import path

from hamroh.stats import views

app_name = "stats"

urlpatterns = [
    path("desk/stats/", views.dashboard, name="dashboard"),
    path("desk/stats/table/", views.table, name="table"),
    path("desk/stats/export/", views.export, name="export"),
    path("desk/stats/checks/", views.consistency, name="checks"),
    path("desk/stats/figures/", views.figures, name="figures"),
    path("desk/stats/mirror/", views.mirror, name="mirror"),
]
