"""Keeping ``DepartureCell`` and ``DepartureSummary`` in step with the departure records.

A departure year's cells are rebuilt in one INSERT ... SELECT ... GROUP BY inside the
database (after an import), and its summary rows summed from those cells. A single record
written or returned (``record_departure``, ``record_return``) moves one count between
cells in the same transaction, so the year stays fresh and the next reader counts nothing
again. Only a year that is not fresh yet (never counted) is marked stale; readers rebuild
stale years before counting, so a table never reads cells older than the records.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Model

from hamroh.stats.models import CellYear, Departure, DepartureCell, DepartureSummary

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
# Departure breakdowns the (much smaller) summary rows can answer: the dashboard's.
SUMMARY_DIMENSIONS = frozenset({"year", "quarter", "month", "sex", "destination", "origin_region"})
SUMMARY_COLUMNS = ("departure_year", "departure_month", "sex", "destination", "origin_region")


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
    summary = connection.ops.quote_name(DepartureSummary._meta.db_table)
    records = connection.ops.quote_name(Departure._meta.db_table)
    summed = ", ".join(SUMMARY_COLUMNS)
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
        cursor.execute(f"DELETE FROM {summary} WHERE departure_year IN ({marks})", years)  # noqa: S608
        cursor.execute(
            f"""INSERT INTO {summary} ({summed}, count)
                SELECT {summed}, SUM(count) FROM {cells}
                WHERE departure_year IN ({marks}) GROUP BY {summed}""",  # noqa: S608
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


# --- One record at a time --------------------------------------------------------------


def age_group(age: int | None) -> str:
    """The age group of ``_age_case`` for one record."""
    if age is None:
        return UNKNOWN
    for limit, code in AGE_GROUPS:
        if age < limit:
            return code
    return "60+"


def cell_of(record: Departure) -> dict[str, object]:
    """The cell a record is counted in (the columns ``rebuild`` groups by)."""
    returned = record.return_date
    return {
        "departure_year": record.departure_year,
        "departure_month": record.departure_month,
        "return_month": returned.year * 100 + returned.month if returned else None,
        "sex": record.sex,
        "age_group": age_group(record.age),
        "destination": record.destination,
        "origin_region": record.origin_region,
        "origin_district": record.origin_district,
        "occupation_group": record.occupation_group,
        "sector": record.sector,
        "channel": record.channel,
    }


def move(before: dict[str, object] | None, after: dict[str, object] | None) -> None:
    """Count one record out of the cell ``before`` and into ``after`` (None: not counted).

    Called inside the writer's transaction. When the year has not been counted yet (or is
    stale), or the cells do not hold the record as expected, the year is marked stale and
    the next reader rebuilds it, as before.
    """
    if before == after:
        return
    year = int(str((after or before or {})["departure_year"]))
    if not CellYear.objects.filter(year=year, fresh=True).exists():
        mark_stale([year])
        return
    summary = (
        {k: before[k] for k in SUMMARY_COLUMNS} if before else None,
        {k: after[k] for k in SUMMARY_COLUMNS} if after else None,
    )
    ok = _shift(DepartureCell, before, after)
    if ok and summary[0] != summary[1]:
        ok = _shift(DepartureSummary, *summary)
    if not ok:
        mark_stale([year])


def _shift(
    model: type[Model], before: dict[str, object] | None, after: dict[str, object] | None
) -> bool:
    manager = model._default_manager
    if before is not None:
        # Lock the row so two writers never take the same count twice (PostgreSQL).
        pk = (
            manager.select_for_update()
            .filter(**before, count__gt=0)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return False
        manager.filter(pk=pk).update(count=F("count") - 1)
        # A cell with nothing in it would show as a row of zeros: the records give none.
        manager.filter(pk=pk, count=0).delete()
    if after is not None:
        pk = manager.filter(**after).values_list("pk", flat=True).first()
        if pk is None:
            # Two writers adding the same new cell at once may store it twice; sums stay right.
            manager.create(**after, count=1)
        else:
            manager.filter(pk=pk).update(count=F("count") + 1)
    return True
