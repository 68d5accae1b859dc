"""Load the reference data shipped in ``hamroh/core/data`` (no downloads at run time).

Loading is idempotent: rows are inserted or updated by code, never deleted, so
records that point at a code keep pointing at it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from hamroh.core.models import Country, Occupation, Sector, Subdivision

DATA_DIR = Path(__file__).resolve().parent / "data"
NAME_FIELDS = ["name_en", "name_ru", "name_tg"]


@dataclass(frozen=True)
class ReferenceTable:
    model: type[models.Model]
    filename: str
    key: str
    fields: list[str]


TABLES = [
    ReferenceTable(Country, "countries.csv", "alpha3", ["alpha2", "numeric", *NAME_FIELDS]),
    ReferenceTable(Subdivision, "tj_subdivisions.csv", "code", ["parent_id", "kind", *NAME_FIELDS]),
    ReferenceTable(Occupation, "isco08.csv", "code", ["level", "parent_id", *NAME_FIELDS]),
    ReferenceTable(Sector, "isic4_sections.csv", "code", NAME_FIELDS),
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]
    for row in rows:
        if "parent_code" in row:
            row["parent_id"] = row.pop("parent_code")
    return rows


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in TABLES:
        rows = _rows(DATA_DIR / table.filename)
        objects = [
            table.model(
                **{table.key: row[table.key]},
                **{
                    field: (row.get(field) or None) if field == "parent_id" else row.get(field, "")
                    for field in table.fields
                },
            )
            for row in rows
        ]
        # Foreign keys are checked at commit, so children may precede their parents.
        table.model._default_manager.bulk_create(
            objects,
            batch_size=500,
            update_conflicts=True,
            unique_fields=[table.key],
            update_fields=table.fields,
        )
        counts[str(table.model._meta.verbose_name_plural).title()] = len(objects)
    return counts
