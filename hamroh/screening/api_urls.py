"""Machine interface of the screening app, mounted under /api/v1/screening/."""

from rest_framework.routers import DefaultRouter

from hamroh.screening import api

router = DefaultRouter()
router.register("lists", api.RestrictionListViewSet, basename="screening-list")
router.register("versions", api.VersionViewSet, basename="screening-version")
router.register("runs", api.ScreeningRunViewSet, basename="screening-run")
router.register("matches", api.MatchViewSet, basename="screening-match")
router.register("self-check", api.SelfCheckViewSet, basename="screening-self-check")

urlpatterns = router.urls
