"""The departure-record file: ``person_id, sex, birth_date, departure_date, destination,
destination_region, origin_region, occupation, channel`` (``sector`` optional)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.db import connection

from hamroh.stats.codes import Codes
from hamroh.stats.tabular import Table, located
from hamroh.stats.validation import FieldError, clean_departure

COLUMNS = [
    "person_id",
    "sex",
    "birth_date",
    "departure_date",
    "destination",
    "destination_region",
    "origin_region",
    "occupation",
    "channel",
]
OPTIONAL = ("sector",)
# The columns written by the bulk insert, in this order.
DB_COLUMNS = (
    "source",
    "person_ref",
    "sex",
    "birth_year",
    "age",
    "departure_date",
    "departure_year",
    "departure_month",
    "destination",
    "destination_region",
    "origin_region",
    "origin_district",
    "occupation",
    "occupation_group",
    "sector",
    "channel",
    "batch_id",
)
MAX_ERRORS = 100


def read_rows(
    table: Table,
    *,
    codes: Codes,
    source: str,
    errors: list[str],
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Database rows (without the batch id) for every valid line; problems go to ``errors``."""
    adapt = connection.ops.adapt_datefield_value
    has_sector = "sector" in table.columns
    count = 0
    for line, cells in table.rows():
        count += 1
        if progress and count % 100_000 == 0:
            progress(count)
        person = cells[0].strip()
        if not person or len(person) > 64:
            errors.append(located(table.file_name, line, "person_id", _person_id_message()))
            if len(errors) >= MAX_ERRORS:
                return
            continue
        try:
            clean = clean_departure(
                codes=codes,
                sex=cells[1],
                birth_date=cells[2],
                departure_date=cells[3],
                destination=cells[4],
                destination_region=cells[5],
                origin_region=cells[6],
                occupation=cells[7],
                channel=cells[8],
                sector=cells[9] if has_sector else "",
            )
        except FieldError as error:
            errors.append(located(table.file_name, line, error.field, error.message))
            if len(errors) >= MAX_ERRORS:
                return
            continue
        day: date = clean.departure_date
        yield (
            source,
            person,
            clean.sex,
            clean.birth_year,
            clean.age,
            adapt(day),
            day.year,
            day.month,
            clean.destination,
            clean.destination_region,
            clean.origin_region,
            clean.origin_district,
            clean.occupation,
            clean.occupation_group,
            clean.sector,
            clean.channel,
        )
    if progress:
        progress(count)


def _person_id_message() -> str:
    from django.utils.translation import gettext as _

    return _("A person reference of 1 to 64 characters is required.")
