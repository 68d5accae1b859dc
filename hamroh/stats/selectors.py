"""Reads of the statistics, each checking the reader may work with statistics.

Tables and exports hold counts only (no personal data), so reading them is not written to
the audit chain; exports are (``services.record_export``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db.models import QuerySet
from django.utils.translation import get_language

from hamroh.core.models import User
from hamroh.core.roles import Capability
from hamroh.core.services import require
from hamroh.stats import cells, checks, memo, mirror, tables
from hamroh.stats.models import DepartureSummary, Figure, ImportBatch, MirrorComparison
from hamroh.stats.periods import Period, year


def official_table(
    *, user: User, measure: str, period: Period, dimensions: tuple[str, ...] | list[str]
) -> tables.Table:
    require(user, Capability.VIEW_STATISTICS)
    return tables.relabel(_counted_table(measure, period, tuple(dimensions)))


def _counted_table(measure: str, period: Period, dims: tuple[str, ...]) -> tables.Table:
    return memo.remember(
        f"table|{measure}|{period.start}|{period.end}|{dims}",
        lambda: tables.build_table(measure=measure, period=period, dimensions=dims),
    )


@dataclass
class Dashboard:
    year: int
    years: list[int]
    by_destination: tables.Table
    by_region: tables.Table
    trend: tables.Table
    by_month: tables.Table


def _dashboard_specs(
    years: list[int], chosen: int
) -> dict[str, tuple[str, Period, tuple[str, ...]]]:
    period = year(chosen)
    span = Period(year(min([*years, chosen])).start, year(max([*years, chosen])).end)
    return {
        "by_destination": ("departures", period, ("destination",)),
        "by_region": ("departures", period, ("origin_region",)),
        "trend": ("departures", span, ("year",)),
        "by_month": ("departures", period, ("month",)),
    }


def dashboard(*, user: User, chosen: int | None = None) -> Dashboard:
    """The figures the dashboard draws: remembered, so a repeated request answers in
    milliseconds; counted afresh (after a write) from the summary rows in a few more."""
    require(user, Capability.VIEW_STATISTICS)
    board = memo.remember(f"dashboard|{chosen}", lambda: _count_dashboard(chosen))
    return Dashboard(
        year=board.year,
        years=board.years,
        by_destination=tables.relabel(board.by_destination),
        by_region=tables.relabel(board.by_region),
        trend=tables.relabel(board.trend),
        by_month=tables.relabel(board.by_month),
    )


def _count_dashboard(chosen: int | None) -> Dashboard:
    years = _count_years()
    chosen = chosen or (years[0] if years else date.today().year - 1)
    specs = _dashboard_specs(years, chosen)
    return Dashboard(
        year=chosen,
        years=years,
        **{
            name: tables.build_table(measure=measure, period=period, dimensions=dims)
            for name, (measure, period, dims) in specs.items()
        },
    )


def warm(*, chosen: int | None = None) -> None:
    """Count the dashboard ahead of its first reader (after a load or an import): the
    default year's (``/desk/stats/``) and, if given, the chosen year's."""
    for year_asked in dict.fromkeys([None, chosen]):
        memo.remember(f"dashboard|{year_asked}", partial(_count_dashboard, year_asked))


def list_figures_for(user: User) -> QuerySet[Figure]:
    require(user, Capability.VIEW_STATISTICS)
    return Figure.objects.select_related("batch").order_by(
        "-period_start", "measure", "source", "sex", "area"
    )


def figures_for_period(user: User, period: Period, measure: str = "departures") -> list[Figure]:
    """Published figures of exactly this period, for the table page."""
    return list(
        list_figures_for(user).filter(
            measure=measure, period_start=period.start, period_end=period.end
        )
    )


def list_imports_for(user: User) -> QuerySet[ImportBatch]:
    require(user, Capability.VIEW_STATISTICS)
    return ImportBatch.objects.select_related("imported_by").order_by("-imported_at")


def consistency_report(*, user: User, bound: float | None = None) -> checks.Report:
    require(user, Capability.VIEW_STATISTICS)
    # Messages are worded in the reader's language: remember one report per language.
    return memo.remember(f"checks|{bound}|{get_language()}", lambda: checks.run_checks(bound=bound))


def mirror_pairs(*, user: User) -> list[mirror.MirrorPair]:
    require(user, Capability.VIEW_STATISTICS)
    return [pair for figure in mirror.partner_figures() for pair in mirror.pairs_for(figure)]


def list_comparisons_for(user: User) -> QuerySet[MirrorComparison]:
    require(user, Capability.VIEW_STATISTICS)
    return MirrorComparison.objects.select_related(
        "partner_figure", "our_figure", "recorded_by"
    ).order_by("-recorded_at")


def years_with_data(user: User) -> list[int]:
    require(user, Capability.VIEW_STATISTICS)
    return _years()


def _years() -> list[int]:
    return memo.remember("years", _count_years)


def _count_years() -> list[int]:
    # The summary rows of fresh years hold every departure year in a few hundred rows;
    # reading the records instead is a scan of millions.
    cells.ensure_fresh()
    years = set(
        DepartureSummary.objects.values_list("departure_year", flat=True).distinct().order_by()
    )
    years |= {d.year for d in Figure.objects.values_list("period_start", flat=True)}
    return sorted(years, reverse=True)
