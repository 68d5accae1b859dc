"""Demo statistics: the published figures quoted in issue 7, and 652,014 individual
departure records for 2023 whose totals reproduce the official 2023 table exactly.

Idempotent; refused in production. Takes about 15 s on a laptop (bulk insert).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from hamroh.core.models import AuditEntry
from hamroh.core.services import record_audit
from hamroh.stats import cells, memo, selectors
from hamroh.stats.figures import FigureInput
from hamroh.stats.models import OTHER, Departure, ImportBatch
from hamroh.stats.services import import_figures, insert_departure_rows

NATIONAL = "Migration Service, MLME of Tajikistan"
OTHER_2022 = "Published 2022 figure (departures to Russia)"
MVD = "MVD of Russia, migration registration"
DEMO_SOURCE = "demo"


def _f(
    source: str, reporter: str, measure: str, start: date, end: date, value: int, **kw: Any
) -> FigureInput:
    return FigureInput(
        source=source,
        reporter=reporter,
        measure=measure,
        period_start=start,
        period_end=end,
        value=value,
        **kw,
    )


Y2023 = (date(2023, 1, 1), date(2023, 12, 31))
Y2022 = (date(2022, 1, 1), date(2022, 12, 31))

FIGURES = [
    _f(NATIONAL, "national", "departures", *Y2023, 652_014),
    _f(NATIONAL, "national", "departures", *Y2023, 554_804, sex="M"),
    _f(NATIONAL, "national", "departures", *Y2023, 97_210, sex="F"),
    _f(NATIONAL, "national", "departures", *Y2023, 627_028, area="RUS"),
    _f(NATIONAL, "national", "departures", *Y2023, 18_418, area="KAZ"),
    _f(NATIONAL, "national", "departures", *Y2023, 6_568, area=OTHER),
    _f(NATIONAL, "national", "returns", *Y2023, 590_710),
    _f(NATIONAL, "national", "departures", *Y2022, 775_578),
    _f(
        OTHER_2022,
        "other",
        "departures",
        *Y2022,
        793_791,
        area="RUS",
        note="Contradicts the national 2022 total of 775,578.",
    ),
    _f(
        MVD,
        "partner",
        "arrivals",
        date(2021, 1, 1),
        date(2021, 11, 30),
        1_597_481,
        area="RUS",
        reporter_country="RUS",
        note="Tajik citizens entering Russia stating work as the purpose, January–November 2021.",
    ),
    _f(
        NATIONAL,
        "national",
        "departures",
        date(2021, 1, 1),
        date(2021, 10, 31),
        331_353,
        note="January–October 2021.",
    ),
]

# The published 2023 splits the generated records must reproduce.
MEN_2023, WOMEN_2023 = 554_804, 97_210
TO_RUSSIA, TO_KAZAKHSTAN, ELSEWHERE = 627_028, 18_418, 6_568
ORGANISED_2023 = 6_500
OTHER_DESTINATIONS = ["TUR", "KOR", "ARE", "DEU", "POL", "LTU", "GBR", "UZB", "KGZ", "BLR"]
REGIONS = [
    ("TJ-SU", 33, ["TJ-SU-ISFARA", "TJ-SU-ISTARAVSHAN", "TJ-SU-PANJAKENT", "TJ-SU-ASHT"]),
    ("TJ-KT", 32, ["TJ-KT-KULOB", "TJ-KT-BOKHTAR"]),
    ("TJ-RA", 22, []),
    ("TJ-DU", 8, []),
    ("TJ-GB", 5, []),
]
RUSSIAN_REGIONS = ["RU-MOW", "RU-MOS", "RU-SPE", "RU-SVE", "RU-TYU", "RU-KDA", "RU-NVS"]
OCCUPATIONS = ["711", "712", "713", "931", "932", "833", "834", "513", "515", "611", "962", ""]
SECTORS = ["F", "F", "F", "G", "C", "H", "I", "A", "N", ""]
# Departures peak in spring: weights per month.
MONTH_WEIGHTS = [5, 7, 12, 13, 11, 9, 8, 7, 8, 8, 7, 5]


def load_demo_data() -> str:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production mode.")
    plan, _batch = import_figures(
        figures=FIGURES, file_name="demo.py", actor_label="hamroh demo", update=True
    )
    if plan.errors:
        raise ImproperlyConfigured("; ".join(plan.errors))
    records = generate_departure_records(2023) if not demo_records_exist(2023) else 0
    # The first statistician to open the dashboard should not wait for 652,014 rows.
    selectors.warm(chosen=2023)
    return (
        f"{plan.count('new')} published figures added, {records} departure records for 2023 "
        "generated"
    )


def demo_records_exist(year: int) -> bool:
    return Departure.objects.filter(source=DEMO_SOURCE, departure_year=year).exists()


def demo_rows(year: int, seed: int = 2023) -> list[tuple[Any, ...]]:
    """Rows for ``departure_file.DB_COLUMNS`` (without the batch id), reproducing the
    published sex and destination totals exactly and spread plausibly over the rest."""
    rng = random.Random(seed)
    total = MEN_2023 + WOMEN_2023
    sexes = ["M"] * MEN_2023 + ["F"] * WOMEN_2023
    destinations = (
        ["RUS"] * TO_RUSSIA
        + ["KAZ"] * TO_KAZAKHSTAN
        + [OTHER_DESTINATIONS[i % len(OTHER_DESTINATIONS)] for i in range(ELSEWHERE)]
    )
    assert len(destinations) == total
    rng.shuffle(destinations)
    channels = ["organised"] * ORGANISED_2023 + ["individual"] * (total - ORGANISED_2023)
    rng.shuffle(channels)
    adapt = connection.ops.adapt_datefield_value
    region_codes = [r[0] for r in REGIONS]
    region_weights = [r[1] for r in REGIONS]
    districts = {r[0]: r[2] for r in REGIONS}
    days_in_month = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    months = rng.choices(range(1, 13), weights=MONTH_WEIGHTS, k=total)
    regions = rng.choices(region_codes, weights=region_weights, k=total)
    rows: list[tuple[Any, ...]] = []
    for i in range(total):
        month = months[i]
        day = date(year, month, rng.randint(1, days_in_month[month - 1]))
        age = min(64, max(18, int(rng.gauss(31, 8))))
        region = regions[i]
        district = ""
        if districts[region] and rng.random() < 0.5:
            district = rng.choice(districts[region])
        occupation = rng.choice(OCCUPATIONS)
        destination = destinations[i]
        rows.append(
            (
                DEMO_SOURCE,
                f"D{year}-{i:07d}",
                sexes[i],
                year - age,
                age,
                adapt(day),
                year,
                month,
                destination,
                rng.choice(RUSSIAN_REGIONS) if destination == "RUS" else "",
                region,
                district,
                occupation,
                occupation[:1],
                rng.choice(SECTORS),
                channels[i],
            )
        )
    return rows


@transaction.atomic
def generate_departure_records(year: int = 2023) -> int:
    """Insert the demo departure records for ``year`` and close a share of them with returns."""
    rows = demo_rows(year)
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.DEPARTURES,
        source=DEMO_SOURCE,
        file_name="demo.py",
        rows=len(rows),
        created=len(rows),
    )
    insert_departure_rows(rows, batch.pk, None)
    # Seasonal workers who left early in the year came back before winter: about a third.
    Departure.objects.filter(
        source=DEMO_SOURCE, departure_year=year, departure_month__lte=4, person_ref__endswith="3"
    ).update(return_date=date(year, 11, 15))
    Departure.objects.filter(
        source=DEMO_SOURCE, departure_year=year, departure_month__lte=6, person_ref__endswith="7"
    ).update(return_date=date(year, 12, 10))
    cells.rebuild([year])
    memo.bump()
    record_audit(
        actor=None,
        actor_label="hamroh demo",
        action=AuditEntry.Action.CREATE,
        target=batch,
        fields=["departures"],
    )
    return len(rows)
