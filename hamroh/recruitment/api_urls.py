"""Machine interface of the recruitment app, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from hamroh.recruitment import api

router = DefaultRouter()
router.register("recruitment/employers", api.EmployerViewSet, basename="recruitment-employer")
router.register("recruitment/job-orders", api.JobOrderViewSet, basename="recruitment-job-order")
router.register(
    "recruitment/open-job-orders", api.OpenJobOrderViewSet, basename="recruitment-open-job-order"
)
router.register(
    "recruitment/applications", api.ApplicationViewSet, basename="recruitment-application"
)
router.register("recruitment/roster", api.RosterViewSet, basename="recruitment-roster")

urlpatterns = router.urls
