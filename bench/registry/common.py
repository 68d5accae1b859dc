"""Shared set-up of the registry benchmarks: a throw-away database and a people file."""

from __future__ import annotations

import csv
import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from hamroh.registry import demo_names  # noqa: E402  (after the path is set)

# The demo's names, plus two more surnames (the measured files were made with these).
SURNAMES = [*demo_names.SURNAMES, ("Қурбонов", "QURBONOV"), ("Нуров", "NUROV")]
GIVEN = [*demo_names.MEN, *demo_names.WOMEN[:2]]
FATHERS = demo_names.FATHERS
REGIONS = ["TJ-SU", "TJ-KT", "TJ-RA", "TJ-DU", "TJ-GB"]
OCCUPATIONS = ["711", "712", "713", "921", "611", "832", "512", "931", "933", "741"]


def people_file(rows: int) -> Path:
    """A person file like an office export: half Cyrillic, half Latin names; made once."""
    path = OUT / f"registry_people_{rows}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(rows)
    year = date.today().year
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            [
                "id",
                "surname",
                "given_name",
                "patronymic",
                "birth_date",
                "sex",
                "nationality",
                "document_number",
                "passport_expiry",
                "phone",
                "region",
                "occupation",
            ]
        )
        for n in range(rows):
            surname, surname_latin = rng.choice(SURNAMES)
            given, given_latin = rng.choice(GIVEN)
            latin = n % 2 == 1
            writer.writerow(
                [
                    f"R{n}",
                    surname_latin if latin else surname,
                    given_latin if latin else given,
                    "" if latin else rng.choice(FATHERS) + "ович",
                    f"{year - rng.randint(19, 55)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "M" if n % 7 else "F",
                    "TJK",
                    f"4{n:08d}",
                    f"{year + rng.randint(1, 9)}-{rng.randint(1, 12):02d}-01",
                    f"+992 9{n % 10} {n:07d}",
                    rng.choice(REGIONS),
                    rng.choice(OCCUPATIONS),
                ]
            )
    return path


def fresh_database(name: str, reuse: str = "") -> None:
    """Point Django at an empty database: SQLite in a temporary folder, or (when
    DATABASE_URL is PostgreSQL) a database of that name dropped and created again.
    ``reuse`` names the data folder of an earlier run (its keys) to use its database as is."""
    data_dir = reuse or tempfile.mkdtemp(prefix="hamroh-bench-")
    print(f"data folder: {data_dir}", file=sys.stderr)
    os.environ["HAMROH_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    url = os.environ.get("DATABASE_URL", "")
    if reuse:
        if url.startswith("postgres"):
            os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
        import django

        django.setup()
        return
    if url.startswith("postgres"):
        import psycopg

        base = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
    import django

    django.setup()
    from django.core.management import call_command

    from hamroh.core.demo import load_demo_data
    from hamroh.core.reference import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    load_demo_data()


def backend() -> str:
    from django.db import connection

    return str(connection.vendor)
