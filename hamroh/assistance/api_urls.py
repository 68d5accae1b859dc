"""Machine interface of the assistance app, mounted under /api/v1/assistance/."""

from rest_framework.routers import DefaultRouter

from hamroh.assistance import api

router = DefaultRouter()
router.register("reports", api.ReportViewSet, basename="assistance-report")
router.register("cases", api.CaseViewSet, basename="assistance-case")
router.register("referrals", api.ReferralViewSet, basename="assistance-referral")

urlpatterns = router.urls
