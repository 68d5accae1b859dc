from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from hamroh.core import api as core_api

router = DefaultRouter()
router.register("me", core_api.MeViewSet, basename="me")
router.register("agencies", core_api.AgencyViewSet, basename="agency")
router.register("users", core_api.UserViewSet, basename="user")
router.register("audit", core_api.AuditViewSet, basename="audit")
router.register("reference/countries", core_api.CountryViewSet)
router.register("reference/subdivisions", core_api.SubdivisionViewSet)
router.register("reference/occupations", core_api.OccupationViewSet)
router.register("reference/sectors", core_api.SectorViewSet)

# Each capability app mounts its own pages and API; core stays unaware of them.
CAPABILITY_APPS = ["registry", "recruitment", "assistance", "screening", "stats"]

# The API first and under one prefix, each app's under its own name: an API request is
# matched without trying every page pattern (about 180 patterns per report before, ≈ 0.9 ms
# of CPU) or the other apps' patterns (one prefix test each, where a failed include listed
# all its patterns: a tenth of a public report's CPU), and a page request skips the whole
# API after one prefix test.
api_v1 = [
    *[path(f"{app}/", include(f"hamroh.{app}.api_urls")) for app in CAPABILITY_APPS],
    *router.urls,
    path("auth/token/", obtain_auth_token, name="api_token"),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("", include("hamroh.core.urls")),
    *[path("", include(f"hamroh.{app}.urls")) for app in CAPABILITY_APPS],
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("backoffice/", admin.site.urls),
]

handler400 = "hamroh.core.views.bad_request"
handler403 = "hamroh.core.views.permission_denied"
handler404 = "hamroh.core.views.page_not_found"
handler500 = "hamroh.core.views.server_error"
