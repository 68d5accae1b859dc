"""Official tables counted from the records in SQL, with sub-totals and totals."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamroh.stats import cells, periods, services
from hamroh.stats.models import CellYear, DepartureCell, DepartureSummary
from hamroh.stats.tables import TableError, build_table
from hamroh.stats.tests.factories import depart

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> None:
    depart(sex="M", destination="RUS", origin_region="TJ-SU-ISFARA", birth_date="2000")
    depart(sex="M", destination="RUS", origin_region="TJ-KT", departure_date=date(2023, 7, 1))
    depart(sex="F", destination="RUS", origin_region="TJ-SU", birth_date="1970-05")
    depart(sex="F", destination="KAZ", origin_region="TJ-SU", channel="organised")
    depart(sex="M", destination="KAZ", departure_date=date(2022, 5, 1))


def test_it_counts_departures_by_destination_with_men_women_and_total(records: None) -> None:
    table = build_table(measure="departures", period=periods.year(2023), dimensions=["destination"])
    rows = {r.codes[0]: (r.men, r.women, r.total) for r in table.rows}
    assert rows["RUS"] == (2, 1, 3)
    assert rows["KAZ"] == (0, 1, 1)
    assert (table.grand_total.men, table.grand_total.women, table.grand_total.total) == (2, 2, 4)


def test_two_breakdowns_have_sub_totals_for_the_first(records: None) -> None:
    table = build_table(
        measure="departures",
        period=periods.year(2023),
        dimensions=["origin_region", "origin_district"],
    )
    sughd = [r for r in table.rows if r.codes[0] == "TJ-SU"]
    assert [r.level for r in sughd] == [0, 0, 1]
    assert sughd[-1].total == 3
    assert table.grand_total.total == 4


def test_it_groups_ages_and_marks_unknown_ones(records: None) -> None:
    table = build_table(measure="departures", period=periods.year(2023), dimensions=["age_group"])
    rows = {r.codes[0]: r.total for r in table.detail_rows()}
    assert rows == {"18-24": 1, "30-34": 2, "50-54": 1}


def test_a_quarter_counts_only_its_months(records: None) -> None:
    table = build_table(measure="departures", period=periods.quarter(2023, 3), dimensions=["sex"])
    assert table.grand_total.total == 1


def test_time_breakdowns_label_quarters_and_months(records: None) -> None:
    quarters = build_table(measure="departures", period=periods.year(2023), dimensions=["quarter"])
    assert [r.labels[0] for r in quarters.detail_rows()] == ["2023-Q1", "2023-Q3"]
    months = build_table(measure="departures", period=periods.year(2023), dimensions=["month"])
    assert [r.labels[0] for r in months.detail_rows()] == ["2023-03", "2023-07"]


def test_returns_and_stock_abroad_follow_the_return_dates(records: None) -> None:
    depart(person_ref="back", departure_date=date(2023, 2, 1))
    services.record_return(source="test", person_ref="back", return_date=date(2023, 11, 1))
    returns = build_table(measure="returns", period=periods.year(2023), dimensions=["quarter"])
    assert [(r.labels[0], r.total) for r in returns.detail_rows()] == [("2023-Q4", 1)]
    stock = build_table(measure="stock", period=periods.year(2023), dimensions=["destination"])
    # Everyone who left up to the end of 2023 and had not come back: 5 of 6.
    assert stock.grand_total.total == 5


def test_stock_has_no_time_breakdown() -> None:
    with pytest.raises(TableError):
        build_table(measure="stock", period=periods.year(2023), dimensions=["month"])


def test_it_refuses_an_unknown_breakdown() -> None:
    with pytest.raises(TableError):
        build_table(measure="departures", period=periods.year(2023), dimensions=["name"])


def test_the_table_is_one_grouped_query_whatever_the_number_of_records(records: None) -> None:
    build_table(measure="departures", period=periods.year(2023), dimensions=["channel"])
    with CaptureQueriesContext(connection) as few:
        build_table(measure="departures", period=periods.year(2023), dimensions=["channel"])
    for n in range(20):
        depart(channel="organised" if n % 2 else "individual")
    build_table(measure="departures", period=periods.year(2023), dimensions=["channel"])
    with CaptureQueriesContext(connection) as many:
        build_table(measure="departures", period=periods.year(2023), dimensions=["channel"])
    # One look for stale years, one grouped sum of the cells.
    assert len(few) == len(many) == 2
    assert "GROUP BY" in many.captured_queries[-1]["sql"]


ALL_TABLES = [
    ("departures", dims)
    for dims in (
        ("year",),
        ("quarter",),
        ("month",),
        ("sex",),
        ("age_group",),
        ("destination",),
        ("origin_region", "origin_district"),
        ("occupation",),
        ("sector",),
        ("channel", "sex"),
    )
] + [
    ("returns", ("month",)),
    ("returns", ("destination",)),
    ("stock", ("destination",)),
    ("stock", ("age_group",)),
]


@pytest.mark.parametrize(("measure", "dims"), ALL_TABLES)
def test_the_pre_counted_cells_give_the_same_table_as_the_records(records, measure, dims) -> None:
    depart(person_ref="back", departure_date=date(2022, 12, 1), birth_date="")
    services.record_return(source="test", person_ref="back", return_date=date(2023, 6, 30))
    for period in (periods.year(2023), periods.quarter(2023, 1), periods.month(2023, 7)):
        from_cells = build_table(measure=measure, period=period, dimensions=dims)
        from_records = build_table(measure=measure, period=period, dimensions=dims, use_cells=False)
        assert from_cells.rows == from_records.rows, (measure, dims, period)


def test_a_single_new_record_is_counted_on_the_next_table() -> None:
    depart()
    assert (
        build_table(
            measure="departures", period=periods.year(2023), dimensions=["sex"]
        ).grand_total.total
        == 1
    )
    depart()
    assert (
        build_table(
            measure="departures", period=periods.year(2023), dimensions=["sex"]
        ).grand_total.total
        == 2
    )


SUMMARY_TABLES = [
    ("departures", dims)
    for dims in (("origin_region",), ("destination", "sex"), ("month", "origin_region"))
]


def _same_as_the_records(tables: list[tuple[str, tuple[str, ...]]]) -> None:
    for measure, dims in tables:
        for period in (periods.year(2023), periods.quarter(2023, 1), periods.month(2023, 7)):
            from_cells = build_table(measure=measure, period=period, dimensions=dims)
            from_records = build_table(
                measure=measure, period=period, dimensions=dims, use_cells=False
            )
            assert from_cells.rows == from_records.rows, (measure, dims, period)


def test_the_dashboard_breakdowns_read_the_summary_rows_not_the_cells(records: None) -> None:
    build_table(measure="departures", period=periods.year(2023), dimensions=["sex"])
    with CaptureQueriesContext(connection) as queries:
        build_table(measure="departures", period=periods.year(2023), dimensions=["destination"])
    assert "stats_departuresummary" in queries.captured_queries[-1]["sql"]
    assert not any("stats_departurecell" in q["sql"] for q in queries.captured_queries)
    _same_as_the_records(SUMMARY_TABLES)


def test_single_writes_move_one_count_and_keep_the_year_fresh(records: None) -> None:
    # Once the years are counted, single writes move one count between cells in their own
    # transaction, and no reader recounts a year.
    cells.ensure_fresh()
    depart(person_ref="new", sex="F", destination="TUR", birth_date="1960", channel="organised")
    depart(person_ref="new2", origin_region="TJ-SU-ISFARA", departure_date=date(2023, 7, 2))
    # The same departure again, changed: counted out of its old cell, into the new one.
    depart(person_ref="new", sex="F", destination="KAZ", birth_date="1999", channel="organised")
    services.record_return(source="test", person_ref="new2", return_date=date(2023, 9, 30))
    assert CellYear.objects.get(year=2023).fresh
    with CaptureQueriesContext(connection) as queries:
        _same_as_the_records(ALL_TABLES + SUMMARY_TABLES)
    assert not any(q["sql"].startswith(("DELETE", "INSERT")) for q in queries.captured_queries)
    # Counts that went to zero leave no empty cell behind (it would show as a row of zeros).
    assert not DepartureCell.objects.filter(count=0).exists()
    assert not DepartureCell.objects.filter(destination="TUR").exists()
    assert not DepartureSummary.objects.filter(destination="TUR").exists()


def test_a_year_never_counted_is_counted_on_the_first_table() -> None:
    depart(departure_date=date(2021, 4, 1))
    assert not CellYear.objects.get(year=2021).fresh
    table = build_table(measure="departures", period=periods.year(2021), dimensions=["month"])
    assert table.grand_total.total == 1
    assert CellYear.objects.get(year=2021).fresh
