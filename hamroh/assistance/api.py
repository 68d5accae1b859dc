"""Machine interface of the assistance desk: public intake, case work, partner referrals.

Thin: parse, call the same services and selectors as the pages, serialise.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.encoding import smart_str
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.utils.urls import replace_query_param

from hamroh.assistance import lookups, selectors, services
from hamroh.assistance.models import BorderPoint, Case, CaseType, Partner, Referral, Urgency
from hamroh.assistance.ratelimit import WINDOW, limit, over_limit
from hamroh.core.models import Agency, User


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class IntakeThrottle(BaseThrottle):
    """Reports per address and hour (HAMROH_REPORT_API_PER_HOUR, default 20)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        return not over_limit(request, "report-api", limit("HAMROH_REPORT_API_PER_HOUR", 20))

    def wait(self) -> float:
        return float(WINDOW)


class NoCountPagination(LimitOffsetPagination):
    """Pages of a million-row queue without COUNT(*): ``next`` is given when more rows exist."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.request = request
        self.limit = self.get_limit(request) or 50
        self.offset = self.get_offset(request) or 0
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_more = len(rows) > self.limit
        return rows[: self.limit]

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "results": data})

    def get_next_link(self) -> str | None:
        if not self.has_more or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.limit_query_param, self.limit)
        return replace_query_param(
            url, self.offset_query_param, (self.offset or 0) + (self.limit or 0)
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"next": {"type": "string", "nullable": True}, "results": schema},
        }


# --- Intake -------------------------------------------------------------------------


class RememberedSlugField(serializers.SlugRelatedField):
    """A ``SlugRelatedField`` (same schema, same error messages) answered from the
    per-process memory of ``lookups`` instead of one query per report.

    The queryset is a class attribute, so DRF does not deep-copy it for every request."""

    def rows(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_internal_value(self, data: Any) -> Any:
        # The database compared the code as text (``str()`` of anything else), so does this.
        found = self.rows().get(data if isinstance(data, str) else str(data))
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return found


class CaseTypeField(RememberedSlugField):
    queryset = CaseType.objects.filter(is_active=True)

    def rows(self) -> dict[str, Any]:
        return lookups.case_types()


class BorderPointField(RememberedSlugField):
    queryset = BorderPoint.objects.all()

    def rows(self) -> dict[str, Any]:
        return lookups.border_points()


class AssistanceReportSerializer(serializers.Serializer):
    case_type = CaseTypeField(slug_field="code")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    border_point = BorderPointField(slug_field="code", required=False, allow_null=True)
    country = serializers.CharField(max_length=3, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, required=False, allow_null=True
    )
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    hours_held = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    documents_taken = serializers.BooleanField(required=False, allow_null=True, default=None)
    anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    reporter_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    narrative = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False)

    def get_fields(self) -> dict[str, Any]:
        """The declared fields, built once per thread from their arguments and reused by
        every report that thread validates, instead of DRF's deep copies for each request
        (building them was a fifth of a report's CPU under load). A field keeps nothing of
        one validation for the next; each serializer binds them to itself, one request at a
        time per thread. Only a nested field (``child``) must not be shared, so only it is
        copied."""
        fields: dict[str, Any] | None = getattr(_report_fields, "fields", None)
        if fields is None:
            fields = {}
            for name, field in self._declared_fields.items():
                declared: Any = field
                kwargs: dict[str, Any] = {
                    key: copy.deepcopy(value) if isinstance(value, serializers.Field) else value
                    for key, value in declared._kwargs.items()
                }
                fields[name] = declared.__class__(*declared._args, **kwargs)
            _report_fields.fields = fields
        for field in fields.values():
            # Binding sets ``source`` from the name and refuses a second binding that finds
            # it set: give it back its argument (none of these fields has one).
            field.source = field._kwargs.get("source")
        return dict(fields)


# The report serializer's fields, per thread (AssistanceReportSerializer.get_fields).
_report_fields = threading.local()


class AssistanceSubmittedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    followup_code = serializers.CharField(help_text="Shown once; only its keyed hash is stored.")
    status = serializers.CharField()


class ReportViewSet(viewsets.GenericViewSet):
    """Public intake: anyone may report, anonymously too (rate limited per address)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [IntakeThrottle]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = AssistanceReportSerializer

    @extend_schema(
        request=AssistanceReportSerializer, responses={201: AssistanceSubmittedSerializer}
    )
    def create(self, request: Request) -> Response:
        serializer = AssistanceReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = data.pop("files", [])
        case_type = data["case_type"]
        report = services.Report(
            case_type=case_type,
            urgency=data.get("urgency")
            or (Urgency.HIGH if case_type.asks_hours_held else Urgency.NORMAL),
            border_point=data.get("border_point"),
            country_code=data.get("country", ""),
            city=data.get("city", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            occurred_at=data.get("occurred_at"),
            hours_held=data.get("hours_held"),
            documents_taken=data.get("documents_taken"),
            anonymous=data.get("anonymous", False),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            reporter_contact=data.get("reporter_contact", ""),
            narrative=data.get("narrative", ""),
            language=translation.get_language() or "",
        )
        submitted = services.submit_report(report=report, files=files, channel="api")
        return Response(
            {
                "reference": submitted.case.reference,
                "followup_code": submitted.followup_code,
                "status": submitted.case.status,
            },
            status=status.HTTP_201_CREATED,
        )


# --- Case work ------------------------------------------------------------------------


class AssistanceCaseSerializer(serializers.ModelSerializer):
    """What a queue shows: no personal field."""

    case_type: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    owning_agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    transfer_to: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    assignee: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    border_point: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "case_type",
            "urgency",
            "status",
            "channel",
            "owning_agency",
            "transfer_to",
            "assignee",
            "border_point",
            "city",
            "hours_held",
            "documents_taken",
            "created_at",
            "first_contact_at",
            "first_contact_due",
            "resolution_due",
            "closed_at",
            "first_contact_breached",
            "resolution_breached",
            "escalated_at",
        ]


class AssistanceCaseDetailSerializer(AssistanceCaseSerializer):
    class Meta(AssistanceCaseSerializer.Meta):
        fields = [
            *AssistanceCaseSerializer.Meta.fields,
            "anonymous",
            "reporter_name",
            "reporter_phone",
            "reporter_contact",
            "narrative",
            "latitude",
            "longitude",
            "occurred_at",
        ]


class AssistanceTextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AssistanceNoteSerializer(AssistanceTextSerializer):
    contacted = serializers.BooleanField(required=False, default=False)


class AssistanceAssignSerializer(serializers.Serializer):
    assignee: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all()
    )


class AssistanceTransferSerializer(AssistanceTextSerializer):
    agency: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all()
    )


class AssistanceReferSerializer(AssistanceTextSerializer):
    partner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", queryset=Partner.objects.all()
    )


class AssistanceDecisionSerializer(AssistanceTextSerializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])


class AssistanceClosureSerializer(AssistanceTextSerializer):
    decision = serializers.ChoiceField(choices=["request", "approve", "reject"], default="request")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("queue", str, enum=list(selectors.QUEUES), required=False)]
    )
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work queues and case actions; the same rules as the desk pages."""

    pagination_class = NoCountPagination
    queryset = Case.objects.none()

    def get_serializer_class(self) -> Any:
        return (
            AssistanceCaseDetailSerializer
            if self.action == "retrieve"
            else AssistanceCaseSerializer
        )

    def get_queryset(self) -> Any:
        name = self.request.query_params.get("queue", "team")
        return selectors.queue(_actor(self.request), name if name in selectors.QUEUES else "team")

    def get_object(self) -> Case:
        pk = int(self.kwargs["pk"]) if str(self.kwargs["pk"]).isdigit() else 0
        return selectors.access_case(user=_actor(self.request), pk=pk)

    def _case(self) -> Case:
        pk = int(self.kwargs["pk"]) if str(self.kwargs["pk"]).isdigit() else 0
        return get_object_or_404(
            selectors.list_cases_for(_actor(self.request)).select_related(
                "case_type", "owning_agency"
            ),
            pk=pk,
        )

    def _answer(self, case: Case) -> Response:
        case.refresh_from_db()
        return Response(AssistanceCaseSerializer(case).data)

    @extend_schema(request=AssistanceAssignSerializer, responses=AssistanceCaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        data = AssistanceAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.assign_case(
            actor=_actor(request), case=self._case(), assignee=data.validated_data["assignee"]
        )
        return self._answer(case)

    @extend_schema(request=AssistanceNoteSerializer, responses=AssistanceCaseSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request: Request, pk: str) -> Response:
        data = AssistanceNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        services.add_note(actor=_actor(request), case=case, **data.validated_data)
        return self._answer(case)

    @extend_schema(request=AssistanceTransferSerializer, responses=AssistanceCaseSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        data = AssistanceTransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.request_transfer(
            actor=_actor(request),
            case=self._case(),
            to_agency=data.validated_data["agency"],
            reason=data.validated_data["text"],
        )
        return self._answer(case)

    @extend_schema(request=AssistanceDecisionSerializer, responses=AssistanceCaseSerializer)
    @action(detail=True, methods=["post"], url_path="transfer-answer")
    def transfer_answer(self, request: Request, pk: str) -> Response:
        data = AssistanceDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor, case = _actor(request), self._case()
        if data.validated_data["decision"] == "accept":
            case = services.accept_transfer(actor=actor, case=case)
        else:
            case = services.reject_transfer(
                actor=actor, case=case, reason=data.validated_data["text"]
            )
        return self._answer(case)

    @extend_schema(request=AssistanceReferSerializer, responses=AssistanceCaseSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: str) -> Response:
        data = AssistanceReferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = self._case()
        services.refer_case(
            actor=_actor(request),
            case=case,
            partner=data.validated_data["partner"],
            note=data.validated_data["text"],
        )
        return self._answer(case)

    @extend_schema(request=AssistanceClosureSerializer, responses=AssistanceCaseSerializer)
    @action(detail=True, methods=["post"])
    def closure(self, request: Request, pk: str) -> Response:
        data = AssistanceClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor, case, decision = _actor(request), self._case(), data.validated_data["decision"]
        if decision == "approve":
            case = services.approve_closure(actor=actor, case=case)
        elif decision == "reject":
            case = services.reject_closure(
                actor=actor, case=case, reason=data.validated_data["text"]
            )
        else:
            case = services.request_closure(
                actor=actor, case=case, summary=data.validated_data["text"]
            )
        return self._answer(case)


# --- Partners answer referrals --------------------------------------------------------


class AssistanceReferralSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)
    case_type = serializers.CharField(source="case.case_type.code", read_only=True)
    partner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "case_type",
            "partner",
            "status",
            "created_at",
            "decided_at",
            "completed_at",
        ]


class AssistancePartnerDecisionSerializer(AssistanceTextSerializer):
    decision = serializers.ChoiceField(choices=["accept", "reject", "complete"])


class ReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Referrals received by the signed-in partner organisation (partner-system accounts)."""

    serializer_class = AssistanceReferralSerializer
    queryset = Referral.objects.none()

    def get_queryset(self) -> Any:
        return selectors.referrals_for_partner(_actor(self.request)).order_by("-created_at")

    @extend_schema(
        request=AssistancePartnerDecisionSerializer, responses=AssistanceReferralSerializer
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        data = AssistancePartnerDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = _actor(request)
        referral = selectors.access_referral(user=actor, pk=int(pk) if pk.isdigit() else 0)
        decision, note = data.validated_data["decision"], data.validated_data["text"]
        if decision == "complete":
            referral = services.complete_referral(actor=actor, referral=referral, note=note)
        else:
            referral = services.decide_referral(
                actor=actor, referral=referral, accept=decision == "accept", note=note
            )
        return Response(AssistanceReferralSerializer(referral).data)
