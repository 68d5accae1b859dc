"""Keeping ``DepartureCell`` in step with the departure records.

A departure year's cells are rebuilt in one INSERT ... SELECT ... GROUP BY inside the
database. Writers of single records only mark the year stale; readers rebuild stale years
before counting, so a table never reads cells older than the records.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from hamroh.stats.models import CellYear, Departure, DepartureCell

AGE_GROUPS = [
    (18, "<18"),
    (25, "18-24"),
    (30, "25-29"),
    (35, "30-34"),
    (40, "35-39"),
    (45, "40-44"),
    (50, "45-49"),
    (55, "50-54"),
    (60, "55-59"),
]
UNKNOWN = "~"
# Breakdowns the cells can answer; others (destination region) count the records.
DIMENSIONS = frozenset(
    {
        "year",
        "quarter",
        "month",
        "sex",
        "age_group",
        "destination",
        "origin_region",
        "origin_district",
        "occupation",
        "sector",
        "channel",
    }
)


def _age_case() -> str:
    whens = " ".join(f"WHEN age < {limit} THEN '{code}'" for limit, code in AGE_GROUPS)
    return f"CASE {whens} WHEN age IS NOT NULL THEN '60+' ELSE '{UNKNOWN}' END"


def _return_month() -> str:
    if connection.vendor == "postgresql":
        return "CAST(to_char(return_date, 'YYYYMM') AS INTEGER)"
    # Doubled percent signs: the statement is run with parameters.
    return "CAST(strftime('%%Y%%m', return_date) AS INTEGER)"


def mark_stale(years: Iterable[int]) -> None:
    for y in set(years):
        CellYear.objects.update_or_create(year=y, defaults={"fresh": False})


@transaction.atomic
def rebuild(years: Iterable[int]) -> None:
    """Count the records of these departure years into cells (replacing the old cells)."""
    years = sorted(set(years))
    if not years:
        return
    cells = connection.ops.quote_name(DepartureCell._meta.db_table)
    records = connection.ops.quote_name(Departure._meta.db_table)
    marks = ", ".join(["%s"] * len(years))
    returned = _return_month()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cells} WHERE departure_year IN ({marks})", years)  # noqa: S608
        cursor.execute(
            f"""INSERT INTO {cells} (departure_year, departure_month, return_month, sex,
                    age_group, destination, origin_region, origin_district, occupation_group,
                    sector, channel, count)
                SELECT departure_year, departure_month, {returned}, sex, {_age_case()},
                       destination, origin_region, origin_district, occupation_group, sector,
                       channel, COUNT(*)
                FROM {records} WHERE departure_year IN ({marks})
                GROUP BY departure_year, departure_month, {returned}, sex, {_age_case()},
                         destination, origin_region, origin_district, occupation_group,
                         sector, channel""",  # noqa: S608  (constants and placeholders only)
            years,
        )
    for y in years:
        CellYear.objects.update_or_create(year=y, defaults={"fresh": True})


def ensure_fresh(years: Iterable[int] | None = None) -> None:
    """Rebuild the stale years among ``years`` (all stale years when None)."""
    stale = CellYear.objects.filter(fresh=False)
    if years is not None:
        stale = stale.filter(year__in=list(years))
    todo = list(stale.values_list("year", flat=True))
    if todo:
        rebuild(todo)
