"""Dashboard and table response times with the demo data (652,014 records for 2023).

    DATABASE_URL=sqlite:////tmp/stats-dash.sqlite3 .venv/bin/python bench/stats/bench_dashboard.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hamroh_stats_dash \\
        .venv/bin/python bench/stats/bench_dashboard.py

Loads the demo into the database named by DATABASE_URL if it is not there, signs in as the
statistician and times GET /desk/stats/?year=2023 and the default table (2023 by
destination) through the Django test client, each time as the FIRST request after a real,
committed write:

- an import of a small departure file for 2023 (``services.import_departures``, the same
  call as ``hamroh import departures``), as the import leaves things (it warms the
  dashboard after its commit);
- the same import with that warm-up switched off, so the request counts everything itself
  (the cold path: every visitor after a write would pay this if the warm-up did not run);
- an import of published figures, warm-up switched off;
- one ``record_departure`` (what the recruitment app calls), which warms nothing;

then 20 repeated requests (remembered). Each kind of write is repeated ``--rounds`` times
and the worst and the median first request are printed. Every write adds a few records or
one figure to the database, so use a database kept for benchmarks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date
from unittest import mock

DASHBOARD = "/desk/stats/?year=2023"
TABLE = "/desk/stats/table/?measure=departures&kind=year&year=2023&by=destination"
HEADER = (
    "person_id,sex,birth_date,departure_date,destination,destination_region,"
    "origin_region,occupation,channel\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--records", type=int, default=100, help="records per imported file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from hamroh.core.models import User
    from hamroh.stats import selectors, services
    from hamroh.stats.figures import FigureInput
    from hamroh.stats.models import Departure, DepartureCell, DepartureSummary

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"load_demo_data: {time.perf_counter() - started:.1f} s")
    print(
        f"{connection.vendor}: {Departure.objects.filter(departure_year=2023).count():,} records "
        f"in 2023, {DepartureCell.objects.filter(departure_year=2023).count():,} cells, "
        f"{DepartureSummary.objects.filter(departure_year=2023).count():,} summary rows"
    )
    statistician = User.objects.get(username="statistician")
    client = Client()
    client.force_login(statistician)
    for url in (DASHBOARD, TABLE):
        assert client.get(url).status_code == 200  # templates and URL resolver loaded
    run = uuid.uuid4().hex[:8]
    counter = iter(range(1_000_000))

    def departure_file() -> bytes:
        n = next(counter)
        lines = [
            f"bench-{run}-{n}-{i},{'MF'[i % 7 == 0]},1990-0{1 + i % 9},2023-{1 + i % 12:02d}-15,"
            f"{'RUS' if i % 10 else 'KAZ'},,TJ-SU,711,individual\n"
            for i in range(args.records)
        ]
        return (HEADER + "".join(lines)).encode()

    def import_departures() -> None:
        services.import_departures(
            data=departure_file(), file_name="bench.csv", source="bench", actor=statistician
        )

    def import_figure() -> None:
        n = next(counter)
        figure = FigureInput(
            source=f"bench {run} {n}",
            reporter="other",
            measure="departures",
            period_start=date(2023, 1, 1),
            period_end=date(2023, 12, 31),
            value=650_000 + n,
        )
        plan, _batch = services.import_figures(
            figures=[figure], file_name="bench.csv", actor=statistician
        )
        assert not plan.errors, plan.errors

    def record_departure() -> None:
        services.record_departure(
            source="bench",
            person_ref=f"single-{run}-{next(counter)}",
            sex="F",
            birth_date="1994",
            departure_date=date(2023, 5, 20),
            destination="RUS",
            destination_region="",
            origin_region="TJ-KT",
            occupation="513",
            channel="individual",
        )

    def cold(write: Callable[[], None]) -> Callable[[], None]:
        def without_warm_up() -> None:
            with mock.patch.object(selectors, "warm"):
                write()

        return without_warm_up

    writes: list[tuple[str, Callable[[], None]]] = [
        (f"import of {args.records} departures (warmed by the import)", import_departures),
        (f"import of {args.records} departures, warm-up off", cold(import_departures)),
        ("import of one published figure, warm-up off", cold(import_figure)),
        ("one record_departure", record_departure),
    ]
    for name, url in (("dashboard", DASHBOARD), ("table", TABLE)):
        print(f"{name} {url}")
        for label, write in writes:
            firsts, write_times = [], []
            for _round in range(args.rounds):
                started = time.perf_counter()
                write()
                write_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                firsts.append(time.perf_counter() - started)
            print(
                f"  first request after {label}: worst {max(firsts) * 1000:.0f} ms, median "
                f"{statistics.median(firsts) * 1000:.0f} ms of {args.rounds} "
                f"(the write itself: median {statistics.median(write_times) * 1000:.0f} ms)"
            )
        times = []
        for _ in range(20):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        times.sort()
        print(
            f"  repeated: p50 {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {times[18] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
