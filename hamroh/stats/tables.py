"""Official tables counted from the departure records, in SQL (GROUP BY in the database).

A table is one measure (departures, returns, or workers abroad at the end of the period)
for one period, broken down by one dimension, or by two with sub-totals for the first;
every row has men, women and the total, and the table ends with the grand total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import groupby
from typing import Any

from django.db.models import CharField, Count, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.expressions import Case, Combinable, F, When
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.core.models import Country, Occupation, Sector, Subdivision
from hamroh.stats import cells
from hamroh.stats.models import Channel, Departure, DepartureCell, DepartureSummary, Sex
from hamroh.stats.periods import Period, month_end

MEASURES = {
    "departures": gettext_lazy("Departures for work"),
    "returns": gettext_lazy("Returns"),
    "stock": gettext_lazy("Workers abroad at the end of the period"),
}

DIMENSIONS = {
    "year": gettext_lazy("Year"),
    "quarter": gettext_lazy("Quarter"),
    "month": gettext_lazy("Month"),
    "sex": gettext_lazy("Sex"),
    "age_group": gettext_lazy("Age group"),
    "destination": gettext_lazy("Destination country"),
    "destination_region": gettext_lazy("Destination region"),
    "origin_region": gettext_lazy("Origin region"),
    "origin_district": gettext_lazy("Origin district or city"),
    "occupation": gettext_lazy("Occupation (ISCO-08 major group)"),
    "sector": gettext_lazy("Sector (ISIC Rev.4)"),
    "channel": gettext_lazy("Channel"),
}
# Stock is counted at one moment: it has no breakdown by time.
TIME_DIMENSIONS = {"year", "quarter", "month"}

AGE_GROUPS = cells.AGE_GROUPS
UNKNOWN = "~"  # sorts after every code


class TableError(ValueError):
    pass


@dataclass(frozen=True)
class Row:
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    men: int
    women: int
    total: int
    # 0 a detail row, 1 a sub-total of the first dimension, 2 the grand total
    level: int = 0

    @property
    def is_total(self) -> bool:
        return self.level > 0


@dataclass
class Table:
    measure: str
    period: Period
    dimensions: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)

    @property
    def grand_total(self) -> Row:
        return self.rows[-1]

    @property
    def measure_label(self) -> str:
        return str(MEASURES[self.measure])

    @property
    def dimension_labels(self) -> list[str]:
        return [str(DIMENSIONS[d]) for d in self.dimensions]

    def detail_rows(self) -> list[Row]:
        return [row for row in self.rows if row.level == 0]


def records_for(measure: str, period: Period) -> QuerySet[Departure]:
    """The records a measure counts in a period."""
    records = Departure.objects.all()
    if measure == "departures":
        if period.label.isdigit():
            # A whole year: the integer column is indexed and cheaper than a date range.
            return records.filter(departure_year=period.start.year)
        return records.filter(departure_date__range=(period.start, period.end))
    if measure == "returns":
        return records.filter(return_date__range=(period.start, period.end))
    if measure == "stock":
        return records.filter(departure_date__lte=period.end).filter(
            Q(return_date__isnull=True) | Q(return_date__gt=period.end)
        )
    raise TableError(_("Unknown measure."))


def cells_answer(period: Period, dims: tuple[str, ...]) -> bool:
    whole_months = period.start.day == 1 and period.end == month_end(
        period.end.year, period.end.month
    )
    return whole_months and set(dims) <= cells.DIMENSIONS


def _ym(day: date) -> int:
    return day.year * 100 + day.month


def cells_for(
    measure: str, period: Period, dims: tuple[str, ...] = ()
) -> QuerySet[DepartureCell] | QuerySet[DepartureSummary]:
    """The cells a measure sums over a period of whole months: the summary rows when they
    hold every breakdown asked for (departures by time, sex, destination, origin region)."""
    start, end = _ym(period.start), _ym(period.end)
    if measure == "departures":
        found: QuerySet[DepartureCell] | QuerySet[DepartureSummary]
        if dims and set(dims) <= cells.SUMMARY_DIMENSIONS:
            found = DepartureSummary.objects.all()
        else:
            found = DepartureCell.objects.all()
        # The year range lets the database use the period index.
        found = found.filter(
            departure_year__gte=period.start.year, departure_year__lte=period.end.year
        )
        if period.label.isdigit():
            return found
        return found.annotate(ym=F("departure_year") * 100 + F("departure_month")).filter(
            ym__gte=start, ym__lte=end
        )
    if measure == "returns":
        return DepartureCell.objects.filter(return_month__gte=start, return_month__lte=end)
    if measure == "stock":
        return (
            DepartureCell.objects.annotate(ym=F("departure_year") * 100 + F("departure_month"))
            .filter(ym__lte=end)
            .filter(Q(return_month__isnull=True) | Q(return_month__gt=end))
        )
    raise TableError(_("Unknown measure."))


def _cell_expression(measure: str, dimension: str) -> Combinable:
    if dimension in TIME_DIMENSIONS:
        if measure == "stock":
            raise TableError(
                _("Workers abroad are counted at one moment: choose another breakdown.")
            )
        if measure == "departures":
            ym: Combinable = F("departure_year") * 100 + F("departure_month")
        else:
            ym = F("return_month")
        if dimension == "year":
            return ym / 100
        if dimension == "month":
            return ym
        return (ym / 100) * 10 + (ym - (ym / 100) * 100 + 2) / 3
    if dimension == "occupation":
        return F("occupation_group")
    return F(dimension)


def _expression(measure: str, dimension: str) -> Combinable:
    if dimension in TIME_DIMENSIONS:
        if measure == "stock":
            raise TableError(
                _("Workers abroad are counted at one moment: choose another breakdown.")
            )
        y: Combinable
        m: Combinable
        if measure == "departures":
            y, m = F("departure_year"), F("departure_month")
        else:
            # EXTRACT is numeric on PostgreSQL: cast so quarters divide as integers.
            y = Cast(ExtractYear("return_date"), IntegerField())
            m = Cast(ExtractMonth("return_date"), IntegerField())
        if dimension == "year":
            return y
        if dimension == "month":
            return y * 100 + m
        return y * 10 + (m + 2) / 3
    if dimension == "age_group":
        return Case(
            *[When(age__lt=limit, then=Value(code)) for limit, code in AGE_GROUPS],
            When(age__isnull=False, then=Value("60+")),
            default=Value(UNKNOWN),
            output_field=CharField(),
        )
    if dimension == "occupation":
        return F("occupation_group")
    if dimension not in DIMENSIONS:
        raise TableError(_("Unknown breakdown."))
    return F(dimension)


def build_table(
    *,
    measure: str,
    period: Period,
    dimensions: tuple[str, ...] | list[str],
    use_cells: bool = True,
) -> Table:
    """Count one measure for one period, grouped by up to two dimensions.

    Whole months, quarters and years are summed from the pre-counted cells; other periods
    and the destination-region breakdown count the records. Both give the same numbers
    (tested); ``use_cells=False`` forces the records.
    """
    dims = tuple(d for d in dimensions if d)
    if measure not in MEASURES:
        raise TableError(_("Unknown measure."))
    if not 1 <= len(dims) <= 2 or len(set(dims)) != len(dims):
        raise TableError(_("Choose one breakdown, or two different ones."))
    names = [f"d{i}" for i in range(len(dims))]
    grouped: Any
    if use_cells and cells_answer(period, dims):
        cells.ensure_fresh(
            range(period.start.year, period.end.year + 1) if measure == "departures" else None
        )
        grouped = (
            cells_for(measure, period, dims)
            .annotate(
                **{
                    name: _cell_expression(measure, dim)
                    for name, dim in zip(names, dims, strict=True)
                }
            )
            .values(*names)
            .annotate(
                men=Coalesce(Sum("count", filter=Q(sex=Sex.MALE)), 0),
                women=Coalesce(Sum("count", filter=Q(sex=Sex.FEMALE)), 0),
                total=Sum("count"),
            )
            .order_by(*names)
        )
    else:
        grouped = (
            records_for(measure, period)
            .annotate(
                **{name: _expression(measure, dim) for name, dim in zip(names, dims, strict=True)}
            )
            .values(*names)
            .annotate(
                men=Count("pk", filter=Q(sex=Sex.MALE)),
                women=Count("pk", filter=Q(sex=Sex.FEMALE)),
                total=Count("pk"),
            )
            .order_by(*names)
        )
    label = [labeller(d) for d in dims]
    details: list[Row] = []
    for item in grouped:
        codes = tuple(_code(item[name]) for name in names)
        details.append(
            Row(
                codes=codes,
                labels=tuple(label[i](c) for i, c in enumerate(codes)),
                men=item["men"],
                women=item["women"],
                total=item["total"],
            )
        )
    details.sort(key=lambda r: r.codes)
    table = Table(measure=measure, period=period, dimensions=dims)
    if len(dims) == 2:
        # Sub-totals of the first dimension are sums of already grouped rows (a few hundred).
        for _code0, group in groupby(details, key=lambda r: r.codes[0]):
            rows = list(group)
            table.rows.extend(rows)
            table.rows.append(
                _sum(rows, (rows[0].codes[0], ""), (rows[0].labels[0], _("Sub-total")), 1)
            )
    else:
        table.rows.extend(details)
    table.rows.append(
        _sum(details, tuple("" for _ in dims), (_("Total"), *("" for _ in dims[1:])), 2)
    )
    return table


def _sum(rows: list[Row], codes: tuple[str, ...], labels: tuple[str, ...], level: int) -> Row:
    return Row(
        codes=codes,
        labels=labels,
        men=sum(r.men for r in rows),
        women=sum(r.women for r in rows),
        total=sum(r.total for r in rows),
        level=level,
    )


def _code(value: object) -> str:
    if value is None or value == "":
        return UNKNOWN
    return str(value)


# --- Labels ---------------------------------------------------------------------------


def labeller(dimension: str) -> Callable[[str], str]:
    names: dict[str, str]
    if dimension == "destination":
        names = {c.alpha3: c.name for c in _countries()}
    elif dimension in ("origin_region", "origin_district"):
        names = {s.code: s.name for s in _subdivisions()}
    elif dimension == "occupation":
        names = {o.code: f"{o.code} {o.name}" for o in _occupations()}
    elif dimension == "sector":
        names = {s.code: f"{s.code} {s.name}" for s in _sectors()}
    elif dimension == "sex":
        names = {str(k): str(v) for k, v in Sex.choices}
    elif dimension == "channel":
        names = {str(k): str(v) for k, v in Channel.choices}
    else:
        names = {}
    not_stated = _("Not stated")

    def label(code: str) -> str:
        if code == UNKNOWN:
            return not_stated
        if dimension == "month":
            return f"{code[:4]}-{code[4:]}"
        if dimension == "quarter":
            return f"{code[:4]}-Q{code[4:]}"
        return names.get(code, code)

    return label


@cache
def _countries() -> list[Country]:
    return list(Country.objects.all())


@cache
def _subdivisions() -> list[Subdivision]:
    return list(Subdivision.objects.all())


@cache
def _occupations() -> list[Occupation]:
    return list(Occupation.objects.filter(level=1))


@cache
def _sectors() -> list[Sector]:
    return list(Sector.objects.all())


def relabel(table: Table) -> Table:
    """The same counts with labels in the reader's language (tables are remembered once for
    every language, so names are put back at reading time)."""
    label = [labeller(d) for d in table.dimensions]
    rows = []
    for row in table.rows:
        if row.level == 0:
            labels = tuple(label[i](c) for i, c in enumerate(row.codes))
        elif row.level == 1:
            labels = (label[0](row.codes[0]), _("Sub-total"))
        else:
            labels = (_("Total"), *("" for _d in table.dimensions[1:]))
        rows.append(
            Row(
                codes=row.codes,
                labels=labels,
                men=row.men,
                women=row.women,
                total=row.total,
                level=row.level,
            )
        )
    return Table(measure=table.measure, period=table.period, dimensions=table.dimensions, rows=rows)
