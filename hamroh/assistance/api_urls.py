"""Machine interface of the assistance app, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from hamroh.assistance import api

router = DefaultRouter()
router.register("assistance/reports", api.ReportViewSet, basename="assistance-report")
router.register("assistance/cases", api.CaseViewSet, basename="assistance-case")
router.register("assistance/referrals", api.ReferralViewSet, basename="assistance-referral")

urlpatterns = router.urls
