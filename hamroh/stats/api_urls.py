"""Machine interface of the stats app, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from hamroh.stats import api

router = DefaultRouter()
router.register("stats/tables", api.TableViewSet, basename="stats-table")
router.register("stats/figures", api.FigureViewSet, basename="stats-figure")
router.register("stats/checks", api.CheckViewSet, basename="stats-check")
router.register("stats/mirror", api.MirrorViewSet, basename="stats-mirror")

urlpatterns = router.urls
