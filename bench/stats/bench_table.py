"""Build the full official table for one year from N departure records.

    DATABASE_URL=sqlite:////tmp/stats-10m.sqlite3 \
        .venv/bin/python bench/stats/bench_table.py --records 10000000 --year 2023

Records are generated inside the database (a materialised recursive CTE on SQLite, so each
random value is drawn once per record; generate_series on PostgreSQL) over five years, 2019-2023, so one year holds about a fifth of them. The "full
official table" is every table of the PDF/Excel report (departures by destination, origin
region and district, age group, occupation, channel and month; returns and stock by
destination), counted cold: the remembered results (hamroh.stats.memo) are not used.
"""

from __future__ import annotations

import argparse
import os
import time

SQLITE_FILL = """
INSERT INTO stats_departure (source, person_ref, sex, birth_year, age, departure_date,
    departure_year, departure_month, destination, destination_region, origin_region,
    origin_district, occupation, occupation_group, sector, channel, return_date)
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %(count)d),
r AS MATERIALIZED (SELECT x, 2019 + abs(random()) %% 5 AS y, 1 + abs(random()) %% 12 AS m,
             1 + abs(random()) %% 28 AS d, 18 + abs(random()) %% 45 AS a,
             abs(random()) %% 100 AS dest, abs(random()) %% 5 AS reg,
             abs(random()) %% 9 AS occ, abs(random()) %% 100 AS ch, abs(random()) %% 100 AS sx,
             abs(random()) %% 3 AS back FROM n)
SELECT 'bench', 'B' || x, CASE WHEN sx < 85 THEN 'M' ELSE 'F' END, y - a, a,
       printf('%%04d-%%02d-%%02d', y, m, d), y, m,
       CASE WHEN dest < 96 THEN 'RUS' WHEN dest < 99 THEN 'KAZ' ELSE 'TUR' END, '',
       CASE reg WHEN 0 THEN 'TJ-SU' WHEN 1 THEN 'TJ-KT' WHEN 2 THEN 'TJ-RA' WHEN 3 THEN 'TJ-DU'
                ELSE 'TJ-GB' END,
       CASE WHEN reg = 0 AND d < 10 THEN 'TJ-SU-ISFARA' ELSE '' END,
       CAST(occ + 1 AS TEXT) || '1', CAST(occ + 1 AS TEXT), '',
       CASE WHEN ch < 2 THEN 'organised' ELSE 'individual' END,
       CASE WHEN back = 0 THEN printf('%%04d-12-15', y) ELSE NULL END
FROM r
"""

POSTGRES_FILL = """
INSERT INTO stats_departure (source, person_ref, sex, birth_year, age, departure_date,
    departure_year, departure_month, destination, destination_region, origin_region,
    origin_district, occupation, occupation_group, sector, channel, return_date)
SELECT 'bench', 'B' || x, CASE WHEN sx < 85 THEN 'M' ELSE 'F' END, y - a, a,
       make_date(y, m, d), y, m,
       CASE WHEN dest < 96 THEN 'RUS' WHEN dest < 99 THEN 'KAZ' ELSE 'TUR' END, '',
       (ARRAY['TJ-SU','TJ-KT','TJ-RA','TJ-DU','TJ-GB'])[reg + 1],
       CASE WHEN reg = 0 AND d < 10 THEN 'TJ-SU-ISFARA' ELSE '' END,
       (occ + 1)::text || '1', (occ + 1)::text, '',
       CASE WHEN ch < 2 THEN 'organised' ELSE 'individual' END,
       CASE WHEN back = 0 THEN make_date(y, 12, 15) ELSE NULL END
FROM (SELECT x, 2019 + floor(random() * 5)::int AS y, 1 + floor(random() * 12)::int AS m,
             1 + floor(random() * 28)::int AS d, 18 + floor(random() * 45)::int AS a,
             floor(random() * 100)::int AS dest, floor(random() * 5)::int AS reg,
             floor(random() * 9)::int AS occ, floor(random() * 100)::int AS ch,
             floor(random() * 100)::int AS sx, floor(random() * 3)::int AS back
      FROM generate_series(1, %(count)d) AS x) AS r
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hamroh.stats import cells, periods
    from hamroh.stats.models import Departure, DepartureCell
    from hamroh.stats.reports import REPORT_TABLES
    from hamroh.stats.tables import build_table

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    present = Departure.objects.count()
    if present != args.records:
        if present:
            raise SystemExit(
                f"{present} records present, {args.records} asked: use a fresh database"
            )
        started = time.perf_counter()
        sql = SQLITE_FILL if connection.vendor == "sqlite" else POSTGRES_FILL
        with connection.cursor() as cursor:
            cursor.execute(sql % {"count": args.records})
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE stats_departure")
            else:
                cursor.execute("ANALYZE")
        print(f"generated {args.records:,} records in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        cells.rebuild(range(2019, 2024))
        print(f"counted them into cells in {time.perf_counter() - started:.1f} s")
    period = periods.year(args.year)
    in_year = Departure.objects.filter(departure_year=args.year).count()
    print(f"{connection.vendor}: {args.records:,} records, {in_year:,} departures in {args.year}")
    in_cells = DepartureCell.objects.filter(departure_year=args.year).count()
    print(f"  {in_cells:,} cells in {args.year}")
    full = "FULL TABLE (all of the above)"
    for use_cells, rounds in ((True, args.repeat), (False, 1)):
        best: dict[str, float] = {}
        for _round in range(rounds):
            total = 0.0
            for measure, dims in REPORT_TABLES:
                started = time.perf_counter()
                build_table(measure=measure, period=period, dimensions=dims, use_cells=use_cells)
                took = time.perf_counter() - started
                total += took
                key = f"{measure} by {'/'.join(dims)}"
                best[key] = min(best.get(key, took), took)
            best[full] = min(best.get(full, total), total)
        print(f"from the cells (best of {rounds}):" if use_cells else "from the records:")
        for key, seconds in best.items():
            print(f"  {key:45s} {seconds:7.2f} s")


if __name__ == "__main__":
    main()
