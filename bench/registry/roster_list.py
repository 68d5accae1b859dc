"""How fast the candidate roster page answers with a million people on it.

Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hamroh .venv/bin/python bench/registry/roster_list.py --people 1000000
    .venv/bin/python bench/registry/roster_list.py --people 200000          # SQLite

Fills a throw-away database (``hamroh_bench_roster`` on PostgreSQL) with people, one
encrypted name each and a roster entry each (some expired, a third with test scores, a
spread of readiness), straight in SQL because the import is measured by import_people.py.
Then signs in as the demo recruitment officer and asks for the roster page through Django's
test client (URL routing, permission check, the selector's query, names decrypted for the
page, template) with each filter combination, and reports p50 and p95 per filter.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from common import backend, fresh_database

FILTERS = {
    "no filter": {},
    "occupation": {"occupation": "711"},
    "region": {"region": "TJ-GB"},
    "occupation + region": {"occupation": "921", "region": "TJ-DU"},
    "test score >= 90": {"min_score": "90"},
    "ready to leave": {"readiness": "4"},
    "all filters": {"occupation": "711", "region": "TJ-SU", "min_score": "60", "readiness": "1"},
    "page 20": {"occupation": "711", "page": "20"},
}


def fill(people: int) -> None:
    from django.db import connection

    from hamroh.core.crypto import encrypt
    from hamroh.core.models import Agency

    agency = Agency.objects.get(code="aoe").pk
    numbers = f"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {people})"
    region = (
        "CASE n % 5 WHEN 0 THEN 'TJ-SU' WHEN 1 THEN 'TJ-KT' WHEN 2 THEN 'TJ-RA' "
        "WHEN 3 THEN 'TJ-DU' ELSE 'TJ-GB' END"
    )
    occupation = (
        "CASE n % 10 WHEN 0 THEN '711' WHEN 1 THEN '712' WHEN 2 THEN '713' WHEN 3 THEN '921' "
        "WHEN 4 THEN '611' WHEN 5 THEN '832' WHEN 6 THEN '512' WHEN 7 THEN '931' "
        "WHEN 8 THEN '933' ELSE '741' END"
    )
    now = "CURRENT_TIMESTAMP"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO registry_person (id, public_id, sex, birth_year, birth_month, birth_day, "
            f"region_id, district_id, education, occupation_id, languages, telegram, consent_at, "
            f"consent_version, source, source_ref, import_batch, agency_id, created_by_id, "
            f"access_code_hash, created_at, updated_at) "
            f"{numbers} SELECT n, 'B' || (n + 100000000000), CASE WHEN n % 7 = 0 THEN 'F' ELSE 'M' END, "
            f"1970 + n % 35, 1 + n % 12, 1 + n % 28, {region}, NULL, 'secondary', {occupation}, "
            f"'[]', '', {now}, 'bench', 'import', '', 'bench', {agency}, NULL, '', {now}, {now} "
            f"FROM g"
        )
        cursor.execute(
            f"INSERT INTO registry_personname (person_id, surname, given_name, patronymic, script, "
            f"source, surname_key, given_key, valid_until, created_at) "
            f"{numbers} SELECT n, %s, %s, '', 'latin', 'import', 'rahimov', 'farhod', NULL, {now} "
            f"FROM g",
            [encrypt("RAKHIMOV"), encrypt("FARKHOD")],
        )
        today = "CURRENT_DATE"
        if connection.vendor == "postgresql":
            since, until = f"{today} - (n % 300)", f"{today} + 365 - (n % 400)"
        else:
            since = f"date({today}, (0 - n % 300) || ' days')"
            until = f"date({today}, (365 - n % 400) || ' days')"
        cursor.execute(
            f"INSERT INTO recruitment_rosterentry (person_id, occupation_id, region_id, sex, "
            f"birth_year, agency_id, best_test_score, readiness, valid_from, valid_until, "
            f"updated_at) {numbers} SELECT n, {occupation}, {region}, "
            f"CASE WHEN n % 7 = 0 THEN 'F' ELSE 'M' END, 1970 + n % 35, {agency}, "
            f"CASE WHEN n % 3 = 0 THEN 40 + n % 60 ELSE NULL END, "
            f"CASE WHEN n % 3 <> 0 THEN 0 ELSE (n / 7) % 5 END, {since}, {until}, {now} FROM g"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('registry_person', 'id'), %s)", [people]
            )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--reuse", default="", help="data folder printed by an earlier run: skip the fill"
    )
    options = parser.parse_args()

    fresh_database("hamroh_bench_roster", reuse=options.reuse)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hamroh.core.models import User

    setup_test_environment()
    # Pages are rendered from the source tree, as in tests (no collectstatic here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    started = time.perf_counter()
    if not options.reuse:
        fill(options.people)
    results: dict[str, object] = {
        "backend": backend(),
        "people": options.people,
        "fill_seconds": round(time.perf_counter() - started, 1),
        "filters": {},
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="recruiter"))
    client.get("/desk/recruitment/roster/")  # warm caches and connections
    for label, query in FILTERS.items():
        times = []
        for _ in range(options.requests):
            t = time.perf_counter()
            response = client.get("/desk/recruitment/roster/", query)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        rows = response.content.count(b'data-testid="roster-B')
        times.sort()
        results["filters"][label] = {  # type: ignore[index]
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "rows_on_page": rows,
        }
    print(json.dumps(results, indent=2))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
