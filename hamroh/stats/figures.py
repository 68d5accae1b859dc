"""Published aggregate figures: reading a figures file and planning an import.

File columns: ``source, reporter, measure, period, sex, area, origin_region, value`` and
optionally ``reporter_country, note``. ``period`` is ISO 8601 as SDMX writes it (``2023``,
``2023-Q1``, ``2023-01``, ``2021-01/2021-11``); ``sex`` M/F/_T; ``area`` the destination,
ISO 3166-1 alpha-3 or ``_T``/``_O``; ``origin_region`` ISO 3166-2:TJ or ``_T``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from hamroh.stats.codes import REGION_ALIASES, codes
from hamroh.stats.models import OTHER, TOTAL, Figure
from hamroh.stats.periods import label_for, parse_label
from hamroh.stats.tabular import Table, located, open_table

COLUMNS = ["source", "reporter", "measure", "period", "sex", "area", "origin_region", "value"]
OPTIONAL = ("reporter_country", "note")


@dataclass(frozen=True)
class FigureInput:
    source: str
    reporter: str
    measure: str
    period_start: date
    period_end: date
    value: int
    sex: str = TOTAL
    area: str = TOTAL
    origin_region: str = TOTAL
    reporter_country: str = "TJK"
    note: str = ""
    line: int = 0

    @property
    def key(self) -> tuple[object, ...]:
        return (
            self.source,
            self.measure,
            self.period_start,
            self.period_end,
            self.sex,
            self.area,
            self.origin_region,
        )

    @property
    def series(self) -> tuple[object, ...]:
        return (self.source, self.measure, self.sex, self.area, self.origin_region)

    @property
    def period_label(self) -> str:
        return label_for(self.period_start, self.period_end)


@dataclass
class Planned:
    figure: FigureInput
    status: str  # "new", "changed" or "unchanged"
    old_value: int | None = None
    existing_pk: int | None = None


@dataclass
class Plan:
    items: list[Planned] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


def check_figure(figure: FigureInput) -> list[tuple[str, str]]:
    """(field, message) for every code or number that is not acceptable."""
    known = codes()
    problems: list[tuple[str, str]] = []
    if not figure.source.strip() or len(figure.source) > 120:
        problems.append(("source", _("A source name of 1 to 120 characters is required.")))
    if figure.reporter not in Figure.Reporter.values:
        problems.append(
            ("reporter", _("Reporter must be national, partner or other.")),
        )
    if figure.measure not in Figure.Measure.values:
        problems.append(
            ("measure", _("Measure must be departures, returns, stock or arrivals.")),
        )
    if figure.sex not in ("M", "F", TOTAL):
        problems.append(("sex", _("Sex must be M, F or _T.")))
    if figure.area not in (TOTAL, OTHER) and figure.area not in known.countries:
        problems.append(
            ("area", _("“%(value)s” is not ISO 3166-1 alpha-3, _T or _O.") % {"value": figure.area})
        )
    if figure.origin_region != TOTAL and figure.origin_region not in known.regions:
        problems.append(
            (
                "origin_region",
                _("“%(value)s” is not an ISO 3166-2:TJ region or _T.")
                % {"value": figure.origin_region},
            )
        )
    if figure.reporter_country not in known.countries:
        problems.append(("reporter_country", _("Not an ISO 3166-1 alpha-3 country code.")))
    if figure.value < 0:
        problems.append(("value", _("A count cannot be negative.")))
    if figure.period_end < figure.period_start:
        problems.append(("period", _("The period ends before it starts.")))
    return problems


def read_figures(data: bytes, file_name: str) -> tuple[list[FigureInput], list[str]]:
    table: Table = open_table(data, file_name, COLUMNS, OPTIONAL)
    figures: list[FigureInput] = []
    errors: list[str] = []
    has_country = "reporter_country" in table.columns
    has_note = "note" in table.columns
    for line, cells in table.rows():
        source, reporter, measure, period, sex, area, origin, value = (c.strip() for c in cells[:8])
        extra = cells[8:]
        country = extra.pop(0).strip().upper() if has_country else ""
        note = extra.pop(0).strip() if has_note else ""
        try:
            span = parse_label(period)
        except ValueError:
            errors.append(
                located(
                    file_name,
                    line,
                    "period",
                    _("“%(value)s” is not an ISO 8601 period.") % {"value": period[:30]},
                )
            )
            continue
        try:
            number = int(value.replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            errors.append(
                located(
                    file_name,
                    line,
                    "value",
                    _("“%(value)s” is not a whole number.") % {"value": value[:20]},
                )
            )
            continue
        reporter = reporter.lower()
        origin = REGION_ALIASES.get(origin.upper(), origin.upper()) or TOTAL
        figure = FigureInput(
            source=source,
            reporter=reporter,
            measure=measure.lower(),
            period_start=span.start,
            period_end=span.end,
            value=number,
            sex=sex.upper() or TOTAL,
            area=area.upper() or TOTAL,
            origin_region=origin,
            reporter_country=country or ("TJK" if reporter != "partner" else area.upper()),
            note=note[:300],
            line=line,
        )
        problems = check_figure(figure)
        errors.extend(located(file_name, line, f, m) for f, m in problems)
        if not problems:
            figures.append(figure)
    return figures, errors


def plan_import(figures: list[FigureInput], *, file_name: str, update: bool) -> Plan:
    """What importing these figures would change; refusals go to ``plan.errors``."""
    plan = Plan()
    seen: dict[tuple[object, ...], FigureInput] = {}
    for figure in figures:
        problems = check_figure(figure)
        if problems:
            plan.errors.extend(located(file_name, figure.line, f, m) for f, m in problems)
            continue
        if figure.key in seen:
            plan.errors.append(
                located(
                    file_name,
                    figure.line,
                    "",
                    _("the same figure is already on line %(line)d.")
                    % {"line": seen[figure.key].line},
                )
            )
            continue
        seen[figure.key] = figure
    by_series: dict[tuple[object, ...], list[tuple[date, date, str]]] = {}
    stored = Figure.objects.filter(source__in={f.source for f in seen.values()})
    existing: dict[tuple[object, ...], Figure] = {
        (f.source, f.measure, f.period_start, f.period_end, f.sex, f.area, f.origin_region): f
        for f in stored
    }
    for f in stored:
        by_series.setdefault((f.source, f.measure, f.sex, f.area, f.origin_region), []).append(
            (f.period_start, f.period_end, _("already stored"))
        )
    for figure in seen.values():
        by_series.setdefault(figure.series, []).append(
            (figure.period_start, figure.period_end, _("line %(line)d") % {"line": figure.line})
        )
    for figure in seen.values():
        clash = next(
            (
                where
                for start, end, where in by_series[figure.series]
                if _overlaps_partly(figure.period_start, figure.period_end, start, end)
            ),
            None,
        )
        if clash is not None:
            plan.errors.append(
                located(
                    file_name,
                    figure.line,
                    "period",
                    _("period %(period)s overlaps another period of the same series (%(where)s).")
                    % {"period": figure.period_label, "where": clash},
                )
            )
            continue
        old = existing.get(figure.key)
        if old is None:
            plan.items.append(Planned(figure, "new"))
        elif old.value == figure.value:
            plan.items.append(Planned(figure, "unchanged", old.value, old.pk))
        elif update:
            plan.items.append(Planned(figure, "changed", old.value, old.pk))
        else:
            plan.errors.append(
                located(
                    file_name,
                    figure.line,
                    "value",
                    _(
                        "this figure was already imported with the value %(old)s; import "
                        "with “replace changed figures” to change it to %(new)s."
                    )
                    % {"old": old.value, "new": figure.value},
                )
            )
    return plan


def _overlaps_partly(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """True when two periods share days but neither contains the other (e.g. Jan–Jun, Apr–Sep)."""
    if a_end < b_start or b_end < a_start:
        return False
    a_in_b = b_start <= a_start and a_end <= b_end
    b_in_a = a_start <= b_start and b_end <= a_end
    return not (a_in_b or b_in_a)
