"""The demo: published figures and 652,014 records that reproduce the 2023 table."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from hamroh.stats import demo, periods
from hamroh.stats.models import Departure, Figure
from hamroh.stats.tables import build_table

pytestmark = pytest.mark.django_db


def test_the_demo_records_reproduce_the_published_2023_table_and_load_once() -> None:
    summary = demo.load_demo_data()
    assert "652014 departure records" in summary
    by_destination = build_table(
        measure="departures", period=periods.year(2023), dimensions=["destination"]
    )
    total = by_destination.grand_total
    assert (total.total, total.men, total.women) == (652_014, 554_804, 97_210)
    rows = {r.codes[0]: r.total for r in by_destination.detail_rows()}
    assert rows["RUS"] == 627_028 and rows["KAZ"] == 18_418
    assert sum(v for k, v in rows.items() if k not in ("RUS", "KAZ")) == 6_568
    assert (
        Figure.objects.get(sex="_T", area="_T", period_start__year=2023, measure="departures").value
        == 652_014
    )
    demo.load_demo_data()
    assert Departure.objects.count() == 652_014
    assert Figure.objects.count() == len(demo.FIGURES)


def test_the_demo_is_refused_in_production(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo.load_demo_data()
