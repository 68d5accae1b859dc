"""Consistency checks: every rule, the figures involved, and the 2022 contradiction."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from hamroh.stats.checks import run_checks
from hamroh.stats.demo import FIGURES
from hamroh.stats.tests.factories import depart, figure, store

pytestmark = pytest.mark.django_db

Y2022 = {"period_start": date(2022, 1, 1), "period_end": date(2022, 12, 31)}


def violations(rule: str, **kwargs):
    return [f for f in run_checks(**kwargs).violations if f.rule == rule]


def test_the_published_2022_figure_for_russia_above_the_2022_total_is_flagged() -> None:
    store(*FIGURES)
    found = violations("subtotal")
    assert len(found) == 1
    assert {i.value for i in found[0].involved} == {793_791, 775_578}
    assert found[0].period == "2022"


def test_the_published_2023_figures_pass_every_sum_check() -> None:
    store(*FIGURES)
    report = run_checks()
    passed = {(f.rule, f.period) for f in report.passed}
    assert {("sex_sum", "2023"), ("area_sum", "2023"), ("yoy", "2022–2023")} <= passed


def test_men_and_women_not_adding_up_to_the_total_is_flagged() -> None:
    store(figure(100), figure(60, sex="M"), figure(30, sex="F"))
    found = violations("sex_sum")
    assert [i.value for i in found[0].involved] == [60, 30, 100]


def test_destinations_with_other_must_add_up_to_the_total() -> None:
    store(figure(100), figure(80, area="RUS"), figure(10, area="_O"))
    assert violations("area_sum")[0].severity == "violation"


def test_destinations_without_other_that_fall_short_are_a_warning() -> None:
    store(figure(100), figure(80, area="RUS"))
    assert violations("area_sum")[0].severity == "warning"


def test_year_on_year_change_beyond_the_bound_is_flagged_and_the_bound_is_configurable() -> None:
    store(figure(100, **Y2022), figure(40))
    assert violations("yoy")
    assert not violations("yoy", bound=0.7)


def test_monthly_figures_of_a_year_must_all_be_there() -> None:
    store(
        *(figure(10, period_start=date(2023, m, 1), period_end=date(2023, m, 28)) for m in (1, 2))
    )
    # 28-day periods are not whole months except February: only February is monthly.
    store(figure(10, period_start=date(2023, 3, 1), period_end=date(2023, 3, 31)))
    found = violations("completeness")
    assert found and "4" in found[0].message


def test_months_without_records_are_flagged() -> None:
    depart(departure_date=date(2023, 1, 5))
    found = violations("completeness")
    assert found[0].dataset == "departure records"
    assert "2023-02 (0)" in found[0].message


def test_records_are_compared_with_the_published_figures() -> None:
    store(figure(2), figure(1, sex="M"))
    depart()
    found = violations("records_match")
    assert {i.value for i in found[0].involved} == {1, 2}


def test_the_command_line_lists_violations_with_their_figures() -> None:
    store(*FIGURES)
    out = StringIO()
    call_command("stats", "check", stdout=out)
    assert "793791" in out.getvalue() and "775578" in out.getvalue()
