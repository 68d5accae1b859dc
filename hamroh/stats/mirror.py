"""Mirror statistics: one country's departures against the other's arrivals."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hamroh.stats.models import TOTAL, Departure, Figure, MirrorComparison


def asymmetry(ours: int, theirs: int) -> float | None:
    """The relative gap (E - I) / ((E + I) / 2), E our departures, I the partner's arrivals.

    Negative when the partner counts more than we do; None when both are zero.
    """
    mean = (ours + theirs) / 2
    if mean == 0:
        return None
    return (ours - theirs) / mean


@dataclass(frozen=True)
class MirrorPair:
    """A partner's figure and what we counted for the same destination and period."""

    partner: Figure
    ours: int | None
    our_basis: str
    our_figure: Figure | None
    same_period: bool

    @property
    def gap(self) -> int | None:
        return None if self.ours is None else int(self.partner.value) - self.ours

    @property
    def asymmetry(self) -> float | None:
        return None if self.ours is None else asymmetry(self.ours, int(self.partner.value))

    @property
    def ratio(self) -> float | None:
        if not self.ours:
            return None
        return int(self.partner.value) / self.ours

    @property
    def suggested_explanation(self) -> str:
        if not self.same_period:
            return MirrorComparison.Explanation.TIMING
        if self.our_figure is not None and self.our_figure.area == TOTAL:
            return MirrorComparison.Explanation.COVERAGE
        return MirrorComparison.Explanation.CROSSINGS


def partner_figures() -> list[Figure]:
    return list(
        Figure.objects.filter(reporter=Figure.Reporter.PARTNER).order_by("-period_start", "source")
    )


def pairs_for(partner: Figure) -> list[MirrorPair]:
    """Our published departures overlapping the partner's period (to that country, or in
    total when no breakdown by destination was published), and our records' count for the
    partner's exact period and destination."""
    pairs: list[MirrorPair] = []
    ours = Figure.objects.filter(
        measure=Figure.Measure.DEPARTURES,
        reporter=Figure.Reporter.NATIONAL,
        sex=partner.sex,
        origin_region=TOTAL,
        area__in=[partner.area, TOTAL],
        period_start__lte=partner.period_end,
        period_end__gte=partner.period_start,
    ).order_by("area", "period_start")
    for figure in ours:
        same = (figure.period_start, figure.period_end) == (
            partner.period_start,
            partner.period_end,
        )
        pairs.append(
            MirrorPair(
                partner=partner,
                ours=int(figure.value),
                our_basis=_("%(source)s, %(period)s, destination %(area)s")
                % {"source": figure.source, "period": figure.period_label, "area": figure.area},
                our_figure=figure,
                same_period=same,
            )
        )
    records = Departure.objects.filter(
        departure_date__range=(partner.period_start, partner.period_end)
    )
    if partner.area != TOTAL:
        records = records.filter(destination=partner.area)
    if partner.sex != TOTAL:
        records = records.filter(sex=partner.sex)
    counted = records.count()
    if counted:
        pairs.append(
            MirrorPair(
                partner=partner,
                ours=counted,
                our_basis=_("departure records, %(period)s, destination %(area)s")
                % {"period": partner.period_label, "area": partner.area},
                our_figure=None,
                same_period=True,
            )
        )
    return pairs
