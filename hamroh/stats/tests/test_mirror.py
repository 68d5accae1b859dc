"""Mirror statistics: both raw figures untouched, the gap, the asymmetry, an agreed figure."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamroh.core.models import AuditEntry
from hamroh.stats import services
from hamroh.stats.demo import FIGURES
from hamroh.stats.mirror import asymmetry, pairs_for, partner_figures
from hamroh.stats.models import Figure, MirrorComparison
from hamroh.stats.tests.factories import depart, store

pytestmark = pytest.mark.django_db


def test_asymmetry_is_the_gap_over_the_mean_of_both() -> None:
    assert asymmetry(100, 100) == 0
    assert asymmetry(50, 150) == pytest.approx(-1.0)
    assert asymmetry(0, 0) is None


def test_the_2021_partner_arrivals_pair_with_our_ten_months_of_departures() -> None:
    store(*FIGURES)
    (partner,) = partner_figures()
    (pair,) = pairs_for(partner)
    assert (pair.partner.value, pair.ours) == (1_597_481, 331_353)
    assert pair.gap == 1_597_481 - 331_353
    assert pair.asymmetry == pytest.approx((331_353 - 1_597_481) / ((331_353 + 1_597_481) / 2))
    assert not pair.same_period
    assert pair.suggested_explanation == MirrorComparison.Explanation.TIMING


def test_records_of_the_partner_period_are_offered_for_comparison() -> None:
    store(*FIGURES)
    depart(departure_date=date(2021, 5, 1))
    depart(departure_date=date(2021, 5, 1), destination="KAZ")
    pairs = pairs_for(partner_figures()[0])
    from_records = [p for p in pairs if p.our_figure is None]
    assert from_records[0].ours == 1


def test_a_comparison_keeps_both_raw_figures_and_is_audited(people) -> None:
    store(*FIGURES)
    partner = Figure.objects.get(reporter="partner")
    ours = Figure.objects.get(period_end=date(2021, 10, 31))
    comparison = services.record_mirror_comparison(
        actor=people.statistician,
        partner_figure=partner,
        our_figure=ours,
        our_value=ours.value,
        our_basis="MLME Jan–Oct 2021",
        explanation=MirrorComparison.Explanation.CROSSINGS,
        explanation_text="Russia counts entries; one worker enters several times a year.",
        agreed_value=400_000,
        derivation="Our 10 months scaled to 11, plus the share of repeated entries.",
    )
    assert (comparison.partner_value, comparison.our_value) == (1_597_481, 331_353)
    assert comparison.gap == 1_266_128
    assert Figure.objects.get(pk=partner.pk).value == 1_597_481
    entry = AuditEntry.objects.filter(object_type="stats.mirrorcomparison").get()
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == people.statistician


def test_an_agreed_figure_needs_its_derivation(people) -> None:
    store(*FIGURES)
    with pytest.raises(ValidationError):
        services.record_mirror_comparison(
            actor=people.statistician,
            partner_figure=Figure.objects.get(reporter="partner"),
            our_value=1,
            our_basis="x",
            explanation="timing",
            explanation_text="x",
            agreed_value=5,
        )


def test_only_statistics_roles_record_comparisons(people) -> None:
    store(*FIGURES)
    with pytest.raises(PermissionDenied):
        services.record_mirror_comparison(
            actor=people.caseworker,
            partner_figure=Figure.objects.get(reporter="partner"),
            our_value=1,
            our_basis="x",
            explanation="timing",
            explanation_text="x",
        )
