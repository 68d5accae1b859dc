"""Machine interface of the screening app, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from hamroh.screening import api

router = DefaultRouter()
router.register("screening/lists", api.RestrictionListViewSet, basename="screening-list")
router.register("screening/versions", api.VersionViewSet, basename="screening-version")
router.register("screening/runs", api.ScreeningRunViewSet, basename="screening-run")
router.register("screening/matches", api.MatchViewSet, basename="screening-match")
router.register("screening/self-check", api.SelfCheckViewSet, basename="screening-self-check")

urlpatterns = router.urls
