"""Machine interface of the stats app, mounted under /api/v1/stats/."""

from rest_framework.routers import DefaultRouter

from hamroh.stats import api

router = DefaultRouter()
router.register("tables", api.TableViewSet, basename="stats-table")
router.register("figures", api.FigureViewSet, basename="stats-figure")
router.register("checks", api.CheckViewSet, basename="stats-check")
router.register("mirror", api.MirrorViewSet, basename="stats-mirror")

urlpatterns = router.urls
