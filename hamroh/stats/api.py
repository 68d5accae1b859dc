"""Machine interface of the statistics: tables, published figures (read and import),
consistency checks and mirror pairs. The same selectors and services as the desk."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hamroh.core.models import User
from hamroh.stats import selectors, services
from hamroh.stats.figures import FigureInput
from hamroh.stats.models import TOTAL, Figure
from hamroh.stats.periods import parse_label
from hamroh.stats.tables import DIMENSIONS, MEASURES, TableError


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class TableQuerySerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=list(MEASURES), default="departures")
    period = serializers.CharField(help_text="ISO 8601: 2023, 2023-Q1, 2023-01 or 2023-01/2023-06")
    by = serializers.ChoiceField(choices=list(DIMENSIONS), default="destination")
    then = serializers.ChoiceField(choices=list(DIMENSIONS), required=False)

    def validate_period(self, value: str) -> Any:
        try:
            return parse_label(value)
        except ValueError:
            raise serializers.ValidationError("Not an ISO 8601 period.") from None


class RowSerializer(serializers.Serializer):
    codes = serializers.ListField(child=serializers.CharField())
    labels = serializers.ListField(child=serializers.CharField())
    men = serializers.IntegerField()
    women = serializers.IntegerField()
    total = serializers.IntegerField()
    level = serializers.IntegerField(help_text="0 detail, 1 sub-total, 2 grand total")


class TableSerializer(serializers.Serializer):
    measure = serializers.CharField()
    period = serializers.CharField(source="period.label")
    dimensions = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)


class TableViewSet(viewsets.ViewSet):
    """Official tables counted from the departure records."""

    @extend_schema(
        parameters=[
            OpenApiParameter("measure", str, enum=list(MEASURES)),
            OpenApiParameter("period", str, required=True),
            OpenApiParameter("by", str, enum=list(DIMENSIONS)),
            OpenApiParameter("then", str, enum=list(DIMENSIONS)),
        ],
        responses=TableSerializer,
    )
    def list(self, request: Request) -> Response:
        query = TableQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        dims = [data["by"], data.get("then", "")]
        try:
            table = selectors.official_table(
                user=_actor(request),
                measure=data["measure"],
                period=data["period"],
                dimensions=[d for d in dims if d],
            )
        except TableError as error:
            raise serializers.ValidationError({"by": [str(error)]}) from None
        return Response(TableSerializer(table).data)


class FigureSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    import_id = serializers.IntegerField(source="batch_id", read_only=True)

    class Meta:
        model = Figure
        fields = [
            "id",
            "source",
            "reporter",
            "reporter_country",
            "measure",
            "period",
            "period_start",
            "period_end",
            "sex",
            "area",
            "origin_region",
            "value",
            "note",
            "import_id",
        ]


class FigureInputSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=120)  # type: ignore[assignment]
    reporter = serializers.ChoiceField(choices=Figure.Reporter.choices)
    reporter_country = serializers.CharField(max_length=3, default="TJK")
    measure = serializers.ChoiceField(choices=Figure.Measure.choices)
    period = serializers.CharField()
    sex = serializers.CharField(default=TOTAL)
    area = serializers.CharField(default=TOTAL)
    origin_region = serializers.CharField(default=TOTAL)
    value = serializers.IntegerField()
    note = serializers.CharField(default="", allow_blank=True, max_length=300)


class FigureImportSerializer(serializers.Serializer):
    figures = FigureInputSerializer(many=True)
    dry_run = serializers.BooleanField(default=True)
    update = serializers.BooleanField(default=False)  # type: ignore[assignment]


class PlanItemSerializer(serializers.Serializer):
    status = serializers.CharField()
    old_value = serializers.IntegerField(allow_null=True)
    value = serializers.IntegerField(source="figure.value")
    source = serializers.CharField(source="figure.source")  # type: ignore[assignment]
    period = serializers.CharField(source="figure.period_label")
    sex = serializers.CharField(source="figure.sex")
    area = serializers.CharField(source="figure.area")


class PlanSerializer(serializers.Serializer):
    import_id = serializers.IntegerField(allow_null=True)
    dry_run = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    items = PlanItemSerializer(many=True)


class FigureViewSet(viewsets.ReadOnlyModelViewSet):
    """Published aggregate figures, each with its source and import; POST imports more."""

    serializer_class = FigureSerializer
    # For the schema only: get_queryset scopes every real request.
    queryset = Figure.objects.none()

    def get_queryset(self) -> Any:
        figures = selectors.list_figures_for(_actor(self.request))
        for name in ("measure", "source", "reporter", "sex", "area"):
            if value := self.request.query_params.get(name):
                figures = figures.filter(**{name: value})
        return figures

    @extend_schema(request=FigureImportSerializer, responses=PlanSerializer)
    def create(self, request: Request) -> Response:
        body = FigureImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        figures = []
        for number, item in enumerate(body.validated_data["figures"], start=1):
            try:
                span = parse_label(item["period"])
            except ValueError:
                raise serializers.ValidationError(
                    {"figures": {str(number): {"period": ["Not an ISO 8601 period."]}}}
                ) from None
            figures.append(
                FigureInput(
                    source=item["source"],
                    reporter=item["reporter"],
                    reporter_country=item["reporter_country"].upper(),
                    measure=item["measure"],
                    period_start=span.start,
                    period_end=span.end,
                    sex=item["sex"].upper(),
                    area=item["area"].upper(),
                    origin_region=item["origin_region"].upper(),
                    value=item["value"],
                    note=item["note"],
                    line=number,
                )
            )
        plan, batch = services.import_figures(
            figures=figures,
            file_name="api",
            actor=_actor(request),
            dry_run=body.validated_data["dry_run"],
            update=body.validated_data["update"],
        )
        payload = {
            "import_id": batch.pk if batch else None,
            "dry_run": body.validated_data["dry_run"],
            "errors": plan.errors,
            "items": plan.items,
        }
        return Response(PlanSerializer(payload).data, status=400 if plan.errors else 200)


class InvolvedSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.IntegerField()
    figure_id = serializers.IntegerField(allow_null=True)


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    dataset = serializers.CharField()
    period = serializers.CharField()
    ok = serializers.BooleanField()
    severity = serializers.CharField()
    message = serializers.CharField()
    involved = InvolvedSerializer(many=True)


class CheckViewSet(viewsets.ViewSet):
    """Consistency checks on every dataset; ``bound`` is the year-on-year limit (0.5 = ±50 %)."""

    @extend_schema(
        parameters=[OpenApiParameter("bound", float)], responses=FindingSerializer(many=True)
    )
    def list(self, request: Request) -> Response:
        try:
            bound = (
                float(request.query_params["bound"]) if "bound" in request.query_params else None
            )
        except ValueError:
            raise serializers.ValidationError({"bound": ["A number, e.g. 0.5."]}) from None
        report = selectors.consistency_report(user=_actor(request), bound=bound)
        return Response(FindingSerializer(report.findings, many=True).data)


class MirrorPairSerializer(serializers.Serializer):
    partner = FigureSerializer()
    our_figure = FigureSerializer(allow_null=True)
    our_basis = serializers.CharField()
    ours = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True)
    asymmetry = serializers.FloatField(allow_null=True)
    same_period = serializers.BooleanField()
    suggested_explanation = serializers.CharField()


class MirrorViewSet(viewsets.ViewSet):
    """Our departures against the partner's arrivals."""

    @extend_schema(responses=MirrorPairSerializer(many=True))
    def list(self, request: Request) -> Response:
        pairs = selectors.mirror_pairs(user=_actor(request))
        return Response(MirrorPairSerializer(pairs, many=True).data)
