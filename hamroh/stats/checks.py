"""Consistency checks on every dataset: the published figures of each source, the figures
of all sources together, and the individual records.

Each check returns what it compared, so a violation lists the figures involved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamroh.stats.models import OTHER, TOTAL, Departure, Figure
from hamroh.stats.periods import label_for, year

# Year-on-year change beyond this share is flagged (0.5 = ±50 %); settings may override.
DEFAULT_YOY_BOUND = 0.5
# A month with fewer records than this share of the year's monthly mean is flagged.
COMPLETENESS_SHARE = 0.25

RULES = {
    "sex_sum": gettext_lazy("Men + women = total"),
    "area_sum": gettext_lazy("Destinations add up to the total"),
    "subtotal": gettext_lazy("Sub-totals do not exceed totals"),
    "yoy": gettext_lazy("Year-on-year change within bounds"),
    "completeness": gettext_lazy("Every period is complete"),
    "records_match": gettext_lazy("Records reproduce the published figure"),
}


@dataclass(frozen=True)
class Involved:
    label: str
    value: int
    figure_id: int | None = None


@dataclass
class Finding:
    rule: str
    dataset: str
    period: str
    ok: bool
    message: str
    involved: list[Involved] = field(default_factory=list)
    # A warning is suspicious but may be legitimate (e.g. an incomplete breakdown).
    severity: str = "violation"

    @property
    def rule_label(self) -> str:
        return str(RULES[self.rule])


@dataclass
class Report:
    findings: list[Finding]
    yoy_bound: float

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    @property
    def passed(self) -> list[Finding]:
        return [f for f in self.findings if f.ok]


def yoy_bound() -> float:
    return float(getattr(settings, "STATS_YOY_BOUND", DEFAULT_YOY_BOUND))


def _describe(figure: Figure) -> str:
    parts = [figure.source, figure.get_measure_display(), figure.period_label]
    if figure.sex != TOTAL:
        parts.append(figure.sex)
    if figure.area != TOTAL:
        parts.append(figure.area)
    if figure.origin_region != TOTAL:
        parts.append(figure.origin_region)
    return " · ".join(str(p) for p in parts)


def _involved(*figures: Figure) -> list[Involved]:
    return [Involved(_describe(f), int(f.value), f.pk) for f in figures]


def run_checks(*, bound: float | None = None, measure: str = "") -> Report:
    bound = yoy_bound() if bound is None else bound
    figures = list(Figure.objects.all().order_by("period_start", "source", "pk"))
    if measure:
        figures = [f for f in figures if f.measure == measure]
    findings: list[Finding] = []
    findings += _sum_checks(figures)
    findings += _subtotal_checks(figures)
    findings += _yoy_checks(figures, bound)
    findings += _figure_completeness(figures)
    findings += _record_checks(figures)
    return Report(findings=findings, yoy_bound=bound)


def _sum_checks(figures: list[Figure]) -> list[Finding]:
    findings = []
    cells: dict[tuple[str, str, date, date, str], dict[tuple[str, str], Figure]] = defaultdict(dict)
    for f in figures:
        key = (f.source, f.measure, f.period_start, f.period_end, f.origin_region)
        cells[key][(f.sex, f.area)] = f
    for (source, _m, start, end, _o), cell in cells.items():
        period = label_for(start, end)
        areas = {area for _s, area in cell}
        for area in sorted(areas):
            men, women, total = (
                cell.get(("M", area)),
                cell.get(("F", area)),
                cell.get((TOTAL, area)),
            )
            if men and women and total:
                ok = men.value + women.value == total.value
                findings.append(
                    Finding(
                        "sex_sum",
                        source,
                        period,
                        ok,
                        _("%(men)s + %(women)s = %(sum)s, published total %(total)s")
                        % {
                            "men": men.value,
                            "women": women.value,
                            "sum": men.value + women.value,
                            "total": total.value,
                        },
                        _involved(men, women, total),
                    )
                )
        for sex in ("M", "F", TOTAL):
            total = cell.get((sex, TOTAL))
            parts = [f for (s, a), f in cell.items() if s == sex and a != TOTAL]
            if not total or not parts:
                continue
            added = sum(p.value for p in parts)
            complete = any(p.area == OTHER for p in parts)
            if added == total.value:
                ok, severity = True, "violation"
                message = _("destinations add up to %(sum)s = total %(total)s")
            elif added > total.value or complete:
                ok, severity = False, "violation"
                message = _("destinations add up to %(sum)s, published total %(total)s")
            else:
                ok, severity = False, "warning"
                message = _(
                    "destinations add up to %(sum)s of %(total)s and no “other” figure "
                    "is published: the breakdown is incomplete"
                )
            findings.append(
                Finding(
                    "area_sum",
                    source,
                    period,
                    ok,
                    message % {"sum": added, "total": total.value},
                    _involved(total, *parts),
                    severity,
                )
            )
    return findings


def _subtotal_checks(figures: list[Figure]) -> list[Finding]:
    """Across every source: no part (one sex, one destination, one region) may exceed a
    published total for the same measure and period, whoever published either."""
    findings = []
    groups: dict[tuple[str, date, date], list[Figure]] = defaultdict(list)
    for f in figures:
        groups[(f.measure, f.period_start, f.period_end)].append(f)
    for (_m, start, end), group in groups.items():
        totals = [f for f in group if (f.sex, f.area, f.origin_region) == (TOTAL, TOTAL, TOTAL)]
        parts = [f for f in group if (f.sex, f.area, f.origin_region) != (TOTAL, TOTAL, TOTAL)]
        for total in totals:
            for part in parts:
                if part.value > total.value:
                    findings.append(
                        Finding(
                            "subtotal",
                            _("all sources"),
                            label_for(start, end),
                            False,
                            _("a part (%(part)s) is larger than the total (%(total)s)")
                            % {"part": part.value, "total": total.value},
                            _involved(part, total),
                        )
                    )
            if parts and all(p.value <= total.value for p in parts):
                findings.append(
                    Finding(
                        "subtotal",
                        total.source,
                        label_for(start, end),
                        True,
                        _("%(count)d sub-totals, none above the total %(total)s")
                        % {"count": len(parts), "total": total.value},
                        _involved(total),
                    )
                )
    return findings


def _is_year(f: Figure) -> bool:
    return (
        f.period_start == year(f.period_start.year).start
        and f.period_end == year(f.period_start.year).end
    )


def _yoy_checks(figures: list[Figure], bound: float) -> list[Finding]:
    findings = []
    series: dict[tuple[object, ...], dict[int, Figure]] = defaultdict(dict)
    for f in figures:
        if _is_year(f):
            series[(f.source, f.measure, f.sex, f.area, f.origin_region)][f.period_start.year] = f
    for (source, *_rest), years in series.items():
        for y, current in sorted(years.items()):
            previous = years.get(y - 1)
            if previous is None or previous.value == 0:
                continue
            change = (current.value - previous.value) / previous.value
            findings.append(
                Finding(
                    "yoy",
                    str(source),
                    f"{y - 1}–{y}",
                    abs(change) <= bound,
                    _("change %(change)+.1f %% (bound ±%(bound).0f %%)")
                    % {"change": change * 100, "bound": bound * 100},
                    _involved(previous, current),
                )
            )
    return findings


def _figure_completeness(figures: list[Figure]) -> list[Finding]:
    """A source that publishes monthly figures for a year must publish all twelve."""
    findings = []
    months: dict[tuple[object, ...], set[int]] = defaultdict(set)
    for f in figures:
        label = label_for(f.period_start, f.period_end)
        if len(label) == 7 and "Q" not in label:
            months[(f.source, f.measure, f.sex, f.area, f.origin_region, f.period_start.year)].add(
                f.period_start.month
            )
    for (source, _m, _s, _a, _o, y), present in months.items():
        missing = sorted(set(range(1, 13)) - present)
        findings.append(
            Finding(
                "completeness",
                str(source),
                str(y),
                not missing,
                _("months missing: %(months)s") % {"months": ", ".join(map(str, missing))}
                if missing
                else _("all twelve months published"),
            )
        )
    return findings


def _record_checks(figures: list[Figure]) -> list[Finding]:
    """The records of each year: every month present, and totals against published figures."""
    findings = []
    monthly = (
        Departure.objects.values("departure_year", "departure_month")
        .annotate(n=Count("pk"))
        .order_by("departure_year", "departure_month")
    )
    per_year: dict[int, dict[int, int]] = defaultdict(dict)
    for item in monthly:
        per_year[item["departure_year"]][item["departure_month"]] = item["n"]
    dataset = _("departure records")
    for y, counts in sorted(per_year.items()):
        last_month = 12 if y < date.today().year else date.today().month
        mean = sum(counts.values()) / last_month
        thin = [m for m in range(1, last_month + 1) if counts.get(m, 0) < COMPLETENESS_SHARE * mean]
        findings.append(
            Finding(
                "completeness",
                dataset,
                str(y),
                not thin,
                _("months with few or no records: %(months)s")
                % {"months": ", ".join(f"{y}-{m:02d} ({counts.get(m, 0)})" for m in thin)}
                if thin
                else _("records in every month"),
                severity="warning",
            )
        )
        national = [
            f
            for f in figures
            if f.reporter == Figure.Reporter.NATIONAL
            and f.measure == Figure.Measure.DEPARTURES
            and _is_year(f)
            and f.period_start.year == y
            and f.origin_region == TOTAL
        ]
        if not national:
            continue
        counted = _record_counts(y)
        for f in national:
            key = (f.sex, f.area)
            if key not in counted:
                continue
            ours = counted[key]
            findings.append(
                Finding(
                    "records_match",
                    dataset,
                    str(y),
                    ours == f.value,
                    _("%(records)s counted from records, %(published)s published")
                    % {"records": ours, "published": f.value},
                    [Involved(_("records") + f" · {f.sex} · {f.area}", ours), *_involved(f)],
                )
            )
    return findings


def _record_counts(y: int) -> dict[tuple[str, str], int]:
    """Departures of one year by (sex, destination) with _T totals and _O for the rest."""
    rows = (
        Departure.objects.filter(departure_year=y)
        .values("sex", "destination")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        for sex in (row["sex"], TOTAL):
            counted[(sex, TOTAL)] += row["n"]
            counted[(sex, row["destination"])] += row["n"]
    # Destinations published separately stay themselves; the rest is "other" (_O).
    published = {"RUS", "KAZ"}
    for (sex, area), n in list(counted.items()):
        if area not in published and area != TOTAL:
            counted[(sex, OTHER)] += n
    return dict(counted)
