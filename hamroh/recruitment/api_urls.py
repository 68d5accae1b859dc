"""Machine interface of the recruitment app, mounted under /api/v1/recruitment/."""

from rest_framework.routers import DefaultRouter

from hamroh.recruitment import api

router = DefaultRouter()
router.register("employers", api.EmployerViewSet, basename="recruitment-employer")
router.register("job-orders", api.JobOrderViewSet, basename="recruitment-job-order")
router.register("open-job-orders", api.OpenJobOrderViewSet, basename="recruitment-open-job-order")
router.register("applications", api.ApplicationViewSet, basename="recruitment-application")
router.register("roster", api.RosterViewSet, basename="recruitment-roster")

urlpatterns = router.urls
