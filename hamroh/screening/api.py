"""Machine interface of the screening app. Thin: parse, call a service or selector, serialise."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hamroh.core.middleware import client_ip
from hamroh.core.models import User
from hamroh.screening import selectors, services
from hamroh.screening.forms import MAX_COHORT_BYTES, MAX_LIST_BYTES, checked_upload
from hamroh.screening.list_file import ListFileError
from hamroh.screening.models import (
    ListDiff,
    ListVersion,
    PossibleMatch,
    RestrictionList,
    ScreeningRun,
    SelfCheck,
)
from hamroh.screening.self_check import NotReady, RateLimited, self_check


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _file_errors(error: ListFileError) -> DjangoValidationError:
    return DjangoValidationError({"file": error.messages})


class VersionSerializer(serializers.ModelSerializer):
    loaded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ListVersion
        fields = [
            "id",
            "restriction_list",
            "number",
            "loaded_at",
            "loaded_by",
            "source_name",
            "entry_count",
            "added",
            "removed",
            "changed",
            "is_active",
        ]


class ListSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    country: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="alpha3", read_only=True
    )
    active_version = VersionSerializer(read_only=True)

    class Meta:
        model = RestrictionList
        fields = [
            "id",
            "name",
            "kind",
            "owner",
            "country",
            "visibility",
            "in_self_check",
            "appeal_route",
            "active_version",
        ]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class RestrictionListViewSet(viewsets.ReadOnlyModelViewSet):
    """Restriction lists the caller's agency may see, with the version in force."""

    queryset = RestrictionList.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = ListSerializer

    def get_queryset(self) -> Any:
        return selectors.list_lists_for(_actor(self.request))

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses=VersionSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def load(self, request: Request, pk: str | None = None) -> Response:
        """Load a file as the list's new version (the file is the whole list)."""
        restriction_list = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise DjangoValidationError({"file": [_("Upload a CSV or Excel (.xlsx) file.")]})
        data = checked_upload(upload, MAX_LIST_BYTES)
        try:
            version = services.load_list(
                actor=_actor(request),
                restriction_list=restriction_list,
                file_name=upload.name or "list.csv",
                data=data,
            )
        except ListFileError as error:
            raise _file_errors(error) from None
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DiffSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListDiff
        fields = ["entry_id", "change"]


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ListVersion.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = VersionSerializer

    def get_queryset(self) -> Any:
        user = _actor(self.request)
        selectors.list_lists_for(user)  # checks the capability
        return ListVersion.objects.filter(
            restriction_list__in=selectors.lists_visible_to(user)
        ).select_related("loaded_by")

    @extend_schema(responses=DiffSerializer(many=True))
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str | None = None) -> Response:
        """Entries added, removed and changed against the previous version."""
        version = self.get_object()
        page = self.paginate_queryset(selectors.diff_of(version))
        return self.get_paginated_response(DiffSerializer(page, many=True).data)


class RunSerializer(serializers.ModelSerializer):
    started_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = ScreeningRun
        fields = [
            "id",
            "scope",
            "label",
            "status",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
            "total",
            "screened",
            "raised",
            "suppressed",
        ]


class PersonSerializer(serializers.Serializer):
    surname = serializers.CharField(required=False, allow_blank=True, max_length=100)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    patronymic = serializers.CharField(required=False, allow_blank=True, max_length=100)
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    birth_date = serializers.CharField(required=False, allow_blank=True, max_length=10)
    sex = serializers.CharField(required=False, allow_blank=True, max_length=1)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=3)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=40)


class RunRequestSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=ScreeningRun.Scope.choices)
    person = PersonSerializer(required=False)
    file = serializers.FileField(required=False)


class ScreeningRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Screening runs of the caller's agency; POST starts one in the background."""

    queryset = ScreeningRun.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = RunSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return selectors.list_runs_for(_actor(self.request))

    @extend_schema(request=RunRequestSerializer, responses={202: RunSerializer})
    def create(self, request: Request) -> Response:
        """Screen one person (JSON ``person``), a cohort (multipart ``file``) or the registry."""
        actor = _actor(request)
        body = RunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scope = body.validated_data["scope"]
        if scope == ScreeningRun.Scope.PERSON:
            run = services.screen_person(actor=actor, person=body.validated_data.get("person", {}))
        elif scope == ScreeningRun.Scope.COHORT:
            upload = request.FILES.get("file")
            if upload is None:
                raise DjangoValidationError({"file": [_("Upload a CSV or Excel (.xlsx) file.")]})
            data = checked_upload(upload, MAX_COHORT_BYTES)
            try:
                run = services.screen_cohort(
                    actor=actor, file_name=upload.name or "cohort.csv", data=data
                )
            except ListFileError as error:
                raise _file_errors(error) from None
        else:
            run = services.screen_registry(actor=actor)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class MatchSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="entry.version.restriction_list.name", read_only=True)
    list_version = serializers.IntegerField(source="entry.version.number", read_only=True)
    entry_id = serializers.CharField(source="entry.entry_id", read_only=True)
    reviewer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = PossibleMatch
        fields = [
            "id",
            "run",
            "list",
            "list_version",
            "entry_id",
            "subject_ref",
            "score",
            "decision",
            "reasons",
            "status",
            "reviewer",
            "review_reason",
            "reviewed_at",
        ]


class MatchDetailSerializer(MatchSerializer):
    subject = serializers.SerializerMethodField()
    entry = serializers.SerializerMethodField()

    class Meta(MatchSerializer.Meta):
        fields = [*MatchSerializer.Meta.fields, "subject", "entry"]

    def get_subject(self, match: PossibleMatch) -> dict[str, str]:
        return match.person_values

    def get_entry(self, match: PossibleMatch) -> dict[str, Any]:
        entry = match.entry
        return {
            **entry.person_values,
            "list_kind": entry.list_kind,
            "reason": entry.reason,
            "legal_basis": entry.legal_basis,
            "valid_from": entry.valid_from,
            "valid_until": entry.valid_until,
            "source_reference": entry.source_reference,
        }


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reviewer queue (``?status=pending|confirmed|rejected``); reading one is audited."""

    queryset = PossibleMatch.objects.none()  # for the schema; get_queryset scopes it
    serializer_class = MatchSerializer

    def get_queryset(self) -> Any:
        wanted = self.request.query_params.get("status", PossibleMatch.Review.PENDING)
        if wanted not in PossibleMatch.Review.values:
            wanted = PossibleMatch.Review.PENDING
        return selectors.list_matches_for(_actor(self.request), status=wanted)

    @extend_schema(responses=MatchDetailSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        match = selectors.access_match(user=_actor(request), pk=int(pk or 0))
        return Response(MatchDetailSerializer(match).data)

    def _decide(self, request: Request, pk: str | None, confirm: bool) -> Response:
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        actor = _actor(request)
        match = selectors.access_match(user=actor, pk=int(pk or 0))
        decide = services.confirm_match if confirm else services.reject_match
        match = decide(actor=actor, match=match, reason=body.validated_data["reason"])
        return Response(MatchSerializer(match).data)

    @extend_schema(request=DecisionSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """The same person: notifies the representation and, with consent, the person."""
        return self._decide(request, pk, confirm=True)

    @extend_schema(request=DecisionSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Not the same person: the pair is not raised again for this list version."""
        return self._decide(request, pk, confirm=False)


class SelfCheckSerializer(serializers.Serializer):
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    birth_date = serializers.CharField(required=False, allow_blank=True, max_length=20)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    document_issue_date = serializers.CharField(required=False, allow_blank=True, max_length=20)


SELF_CHECK_FIELDS = ("full_name", "birth_date", "document_number", "document_issue_date")
SELF_CHECK_FIELDS = ("full_name", "birth_date", "document_number", "document_issue_date")
ANSWER = inline_serializer(
    "SelfCheckAnswer",
    {
        "result": serializers.ChoiceField(choices=["found", "no_record"]),
        "title": serializers.CharField(),
        "message": serializers.CharField(),
        "advice": serializers.ListField(child=serializers.CharField()),
        "list": serializers.CharField(allow_null=True),
        "since": serializers.DateField(allow_null=True),
    },
)


class SelfCheckViewSet(viewsets.GenericViewSet):
    """The migrant's pre-travel self-check (public, POST only, limited per address and identity).

    Every answer has the same shape; "no record" and "not enough detail" are the same answer.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []
    # The service keeps its own limits per address and per identity (see self_check.py).
    throttle_classes: list[type] = []
    serializer_class = SelfCheckSerializer

    @extend_schema(request=SelfCheckSerializer, responses={200: ANSWER, 429: None, 503: None})
    def create(self, request: Request) -> Response:
        raw = request.data if hasattr(request.data, "get") else {}
        values = {key: str(raw.get(key, "") or "")[:200] for key in SELF_CHECK_FIELDS}
        try:
            answer = self_check(
                values=values, ip=client_ip(request._request), channel=SelfCheck.Channel.API
            )
        except RateLimited:
            return Response(
                {"detail": _("Too many checks. Please try again later, or call the helpline.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        except NotReady:
            return Response(
                {"detail": _("The check is being prepared. Please try again in a few minutes.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "120"},
            )
        return Response(answer.as_dict())
