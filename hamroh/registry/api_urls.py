"""Machine interface of the registry app, mounted under /api/v1/registry/."""

from rest_framework.routers import DefaultRouter

from hamroh.registry import api

router = DefaultRouter()
router.register("people", api.PersonViewSet, basename="registry-person")

urlpatterns = router.urls
