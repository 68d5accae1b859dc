"""Machine interface of recruitment: the same services and selectors as the desk."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hamroh.core.models import Country, Occupation, Sector, Subdivision, User
from hamroh.recruitment import selectors, services
from hamroh.recruitment.models import Application, Employer, JobOrder, RosterEntry, Step
from hamroh.recruitment.views import scan_response
from hamroh.registry import selectors as registry_selectors


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class RecruitmentEmployerSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="alpha3", queryset=Country.objects.all())
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())

    class Meta:
        model = Employer
        fields = ["id", *services.EMPLOYER_FIELDS, "status", "status_note"]
        read_only_fields = ["id", "status", "status_note"]


class EmployerStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Employer.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RecruitmentEmployerSerializer

    def get_queryset(self) -> Any:
        return selectors.list_employers_for(_actor(self.request))

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        serializer.instance = services.create_employer(
            actor=_actor(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert isinstance(serializer.instance, Employer)
        services.update_employer(
            actor=_actor(self.request), employer=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=EmployerStatusSerializer, responses=RecruitmentEmployerSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        data = EmployerStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.set_employer_status(
            actor=_actor(request), employer=self.get_object(), **data.validated_data
        )
        return Response(RecruitmentEmployerSerializer(employer).data)


class RecruitmentJobOrderSerializer(serializers.ModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all())
    occupation = serializers.SlugRelatedField(slug_field="code", queryset=Occupation.objects.all())
    destination_country = serializers.CharField(source="employer.country_id", read_only=True)

    class Meta:
        model = JobOrder
        fields = ["id", *services.JOB_ORDER_FIELDS, "destination_country", "status"]
        read_only_fields = ["id", "status", "destination_country"]


class SendShortlistSerializer(serializers.Serializer):
    applications = serializers.ListField(child=serializers.IntegerField())
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RecruitmentShortlistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sent_at = serializers.DateTimeField()
    applications = serializers.ListField(child=serializers.IntegerField())


class JobOrderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RecruitmentJobOrderSerializer

    def get_queryset(self) -> Any:
        return selectors.list_job_orders_for(_actor(self.request))

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        employer = serializer.validated_data["employer"]
        selectors.access_employer(user=_actor(self.request), pk=employer.pk)
        serializer.instance = services.create_job_order(
            actor=_actor(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Any]) -> None:
        assert isinstance(serializer.instance, JobOrder)
        services.update_job_order(
            actor=_actor(self.request), job_order=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=RecruitmentJobOrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        order = services.close_job_order(actor=_actor(request), job_order=self.get_object())
        return Response(RecruitmentJobOrderSerializer(order).data)

    @extend_schema(request=SendShortlistSerializer, responses={201: RecruitmentShortlistSerializer})
    @action(detail=True, methods=["post"], url_path="send-shortlist")
    def send_shortlist(self, request: Request, pk: str) -> Response:
        actor = _actor(request)
        order = self.get_object()
        data = SendShortlistSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = list(
            selectors.list_applications_for(actor).filter(
                job_order=order, pk__in=data.validated_data["applications"]
            )
        )
        sent = services.send_shortlist(
            actor=actor, job_order=order, applications=chosen, note=data.validated_data["note"]
        )
        return Response(
            {"id": sent.pk, "sent_at": sent.sent_at, "applications": [a.pk for a in chosen]},
            status=status.HTTP_201_CREATED,
        )


class OpenJobOrderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open job orders, public like the portal's list (no personal data)."""

    serializer_class = RecruitmentJobOrderSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> Any:
        return selectors.open_job_orders()


class RecruitmentStepSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    scan = serializers.FileField(
        write_only=True,
        required=False,
        help_text="the scan of the signed contract (PDF, JPEG or PNG, up to 5 MB; "
        "contract steps only; send the step as multipart/form-data)",
    )
    scan_url = serializers.SerializerMethodField(
        help_text="where the scan of the signed contract is downloaded, if there is one"
    )

    class Meta:
        model = Step
        fields = [
            "id",
            "kind",
            "date",
            "result",
            "score",
            "certificate",
            "crossing_point",
            "destination_region",
            "travel_date",
            "carrier",
            "travel_from",
            "travel_to",
            "terms",
            "note",
            "scan",
            "scan_url",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["id", "terms", "recorded_by", "recorded_at"]
        extra_kwargs = {"result": {"required": False}}

    def get_scan_url(self, step: Step) -> str | None:
        if not hasattr(step, "scan"):
            return None
        return reverse(
            "recruitment-application-contract", kwargs={"pk": step.application_id, "step": step.pk}
        )


class ContractScanSerializer(serializers.Serializer):
    scan = serializers.FileField(
        help_text="the scan of the signed contract (PDF, JPEG or PNG, up to 5 MB)"
    )


class NextStepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    step = serializers.CharField(help_text="what is to be done, in the reader's language")
    due = serializers.DateField(allow_null=True)


class RecruitmentApplicationSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.public_id")
    steps = RecruitmentStepSerializer(many=True, read_only=True)
    blockers = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "person", "job_order", "status", "selected_at", "steps", "blockers"]
        read_only_fields = ["id", "status", "selected_at", "steps", "blockers"]

    @extend_schema(responses=NextStepSerializer(many=True))
    def get_blockers(self, application: Application) -> list[dict[str, Any]]:
        return [
            {"kind": b.kind, "step": b.label, "due": b.due} for b in services.blockers(application)
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    person = serializers.CharField(help_text="the person's registry number (public id)")
    job_order = serializers.IntegerField()


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates of the agency's job orders. Opening one is audited against the person."""

    serializer_class = RecruitmentApplicationSerializer

    def get_queryset(self) -> Any:
        found = selectors.list_applications_for(_actor(self.request)).order_by("-id")
        params = self.request.query_params
        if params.get("job_order", "").isdigit():
            found = found.filter(job_order_id=int(params["job_order"]))
        if params.get("status"):
            found = found.filter(status=params["status"])
        return found

    def get_object(self) -> Application:
        pk = str(self.kwargs["pk"])
        return selectors.access_application(
            user=_actor(self.request), pk=int(pk) if pk.isdigit() else 0
        )

    @extend_schema(
        request=ApplicationCreateSerializer, responses={201: RecruitmentApplicationSerializer}
    )
    def create(self, request: Request) -> Response:
        """An officer shortlists a person from the roster for a job order."""
        actor = _actor(request)
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = get_object_or_404(
            registry_selectors.list_people_for(actor).prefetch_related("documents"),
            public_id=data.validated_data["person"],
        )
        order = selectors.access_job_order(user=actor, pk=data.validated_data["job_order"])
        application = services.apply_for_job(person=person, job_order=order, actor=actor)
        return Response(
            RecruitmentApplicationSerializer(self._fresh(application.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _fresh(self, pk: int) -> Application:
        return selectors.list_applications_for(_actor(self.request)).get(pk=pk)

    def _act(self, request: Request, pk: str, do: Any) -> Response:
        application = self.get_object()
        do(actor=_actor(request), application=application)
        return Response(RecruitmentApplicationSerializer(self._fresh(application.pk)).data)

    @extend_schema(request=None, responses=RecruitmentApplicationSerializer)
    @action(detail=True, methods=["post"])
    def shortlist(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, services.shortlist)

    @extend_schema(request=None, responses=RecruitmentApplicationSerializer)
    @action(detail=True, methods=["post"])
    def select(self, request: Request, pk: str) -> Response:
        return self._act(
            request,
            pk,
            lambda **kw: services.record_selection(selected=True, **kw),
        )

    @extend_schema(request=None, responses=RecruitmentApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._act(
            request,
            pk,
            lambda **kw: services.record_selection(selected=False, **kw),
        )

    @extend_schema(
        request=RecruitmentStepSerializer, responses={201: RecruitmentApplicationSerializer}
    )
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = RecruitmentStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("result", Step.Result.DONE)
        services.record_step(actor=_actor(request), application=application, **values)
        return Response(
            RecruitmentApplicationSerializer(self._fresh(application.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"contracts/(?P<step>[0-9]+)")
    def contract(self, request: Request, pk: str, step: str) -> HttpResponse:
        """The scan of the signed contract of one contract step; audited as a read of the
        person."""
        scan = selectors.access_contract_scan(
            user=_actor(request), step_pk=int(step), application_pk=int(pk) if pk.isdigit() else 0
        )
        return scan_response(scan)

    @extend_schema(
        request={"multipart/form-data": ContractScanSerializer},
        responses={201: RecruitmentApplicationSerializer},
    )
    @contract.mapping.post
    def attach_contract(self, request: Request, pk: str, step: str) -> Response:
        """Attach the scan of the signed contract to a contract step recorded without one
        (multipart/form-data, field ``scan``); a scan once attached is never replaced."""
        application = self.get_object()
        found = get_object_or_404(application.steps, pk=int(step))
        data = ContractScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.attach_contract_scan(
            actor=_actor(request), step=found, scan=data.validated_data["scan"]
        )
        return Response(
            RecruitmentApplicationSerializer(self._fresh(application.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class RecruitmentRosterSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.public_id")
    readiness = serializers.CharField(source="get_readiness_display")

    class Meta:
        model = RosterEntry
        fields = [
            "id",
            "person",
            "sex",
            "birth_year",
            "region",
            "occupation",
            "best_test_score",
            "readiness",
            "valid_from",
            "valid_until",
        ]


class RosterViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The candidate roster; filters: occupation, region, sex, min_score, readiness."""

    serializer_class = RecruitmentRosterSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params

        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        filters = selectors.RosterFilter(
            occupation=Occupation.objects.filter(code=params.get("occupation", "")).first(),
            region=Subdivision.objects.filter(code=params.get("region", "")).first(),
            sex=params.get("sex", ""),
            min_score=number("min_score"),
            readiness=number("readiness"),
        )
        return selectors.list_roster_for(_actor(self.request), filters)
