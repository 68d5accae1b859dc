"""Machine interface of the core app. Thin: parse, call a service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hamroh.core import audit, selectors, services
from hamroh.core.models import Agency, AuditEntry, Country, Occupation, Sector, Subdivision, User
from hamroh.core.roles import Capability, capabilities_of


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error is JSON with a translated ``detail``; never a stack trace."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("The data sent is not valid."), "errors": response.data}
    return response


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["alpha3", "alpha2", "numeric", "name", "name_tg", "name_ru", "name_en"]


class SubdivisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subdivision
        fields = ["code", "parent", "kind", "name", "name_tg", "name_ru", "name_en"]


class OccupationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Occupation
        fields = ["code", "level", "parent", "name", "name_tg", "name_ru", "name_en"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name", "name_tg", "name_ru", "name_en"]


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data is public: it holds no personal data."""

    permission_classes = [permissions.AllowAny]
    pagination_class = None


class CountryViewSet(ReferenceViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer


class SubdivisionViewSet(ReferenceViewSet):
    queryset = Subdivision.objects.all()
    serializer_class = SubdivisionSerializer


class OccupationViewSet(ReferenceViewSet):
    queryset = Occupation.objects.all()
    serializer_class = OccupationSerializer


class SectorViewSet(ReferenceViewSet):
    queryset = Sector.objects.all()
    serializer_class = SectorSerializer


class AgencySerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="alpha3", queryset=Country.objects.all())

    class Meta:
        model = Agency
        fields = ["id", *services.AGENCY_FIELDS, "name"]
        read_only_fields = ["id", "name"]


class AgencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AgencySerializer

    def get_queryset(self) -> Any:
        return selectors.list_agencies_for(_actor(self.request))

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.create_agency(
            actor=_actor(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert isinstance(serializer.instance, Agency)
        services.update_agency(
            actor=_actor(self.request), agency=serializer.instance, **serializer.validated_data
        )


class UserSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    password = serializers.CharField(write_only=True, required=False)

    class Meta:
        model = User
        fields = ["id", "username", "password", *services.USER_FIELDS]
        read_only_fields = ["id"]
        extra_kwargs = {"role": {"required": True, "allow_blank": False}}


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UserSerializer

    def get_queryset(self) -> Any:
        return selectors.list_users_for(_actor(self.request))

    def get_object(self) -> User:
        pk = int(self.kwargs["pk"]) if str(self.kwargs["pk"]).isdigit() else 0
        return selectors.access_user(actor=_actor(self.request), pk=pk)

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        if not data.get("password"):
            raise exceptions.ValidationError({"password": [_("This field is required.")]})
        serializer.instance = services.create_user(actor=_actor(self.request), **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert isinstance(serializer.instance, User)
        data = dict(serializer.validated_data)
        data.pop("username", None)
        password = data.pop("password", None)
        services.update_user(actor=_actor(self.request), user=serializer.instance, **data)
        if password:
            services.set_user_password(
                actor=_actor(self.request), user=serializer.instance, password=password
            )


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor_label",
            "agency_code",
            "action",
            "object_type",
            "object_id",
            "fields",
            "request_id",
            "ip",
            "hash",
        ]


class ChainReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    entries = serializers.IntegerField()
    head_hash = serializers.CharField()
    broken_seq = serializers.IntegerField(allow_null=True)
    problem = serializers.CharField()


class AuditViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.list_audit_for(
            _actor(self.request),
            selectors.AuditFilter(
                action=params.get("action", ""),
                object_type=params.get("object_type", ""),
                object_id=params.get("object_id", ""),
            ),
        )

    @extend_schema(responses=ChainReportSerializer)
    @action(detail=False, methods=["get"])
    def verify(self, request: Request) -> Response:
        services.require(_actor(request), Capability.VIEW_AUDIT)
        report = audit.verify()
        return Response(
            ChainReportSerializer(report).data,
            status=status.HTTP_200_OK if report.ok else status.HTTP_409_CONFLICT,
        )


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    agency = serializers.CharField(allow_null=True)
    role = serializers.CharField()
    capabilities = serializers.ListField(child=serializers.CharField())


class MeViewSet(viewsets.ViewSet):
    @extend_schema(responses=MeSerializer)
    def list(self, request: Request) -> Response:
        user = _actor(request)
        return Response(
            {
                "username": user.username,
                "agency": user.agency.code if user.agency else None,
                "role": user.role,
                "capabilities": sorted(capabilities_of(user.role)),
            }
        )
