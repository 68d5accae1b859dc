"""Import N departure records from CSV into a fresh database, then import them again.

    DATABASE_URL=sqlite:////tmp/stats-bench.sqlite3 \
        .venv/bin/python bench/stats/bench_import.py /tmp/departures-1m.csv

The database named by DATABASE_URL is migrated first and must hold no departure records.
"""

from __future__ import annotations

import os
import sys
import time


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hamroh.stats import services
    from hamroh.stats.models import Departure

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    if Departure.objects.exists():
        sys.exit("The benchmark database already holds departure records: use a fresh one.")
    with open(path, "rb") as file:
        data = file.read()
    started = time.perf_counter()
    batch = services.import_departures(data=data, file_name=os.path.basename(path), source="bench")
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = services.import_departures(data=data, file_name=os.path.basename(path), source="bench")
    second = time.perf_counter() - started
    print(
        f"{connection.vendor}: {batch.rows} rows imported in {first:.1f} s "
        f"({batch.rows / first:,.0f} rows/s); re-import {second:.1f} s, "
        f"{again.created} added, {again.unchanged} already present"
    )


if __name__ == "__main__":
    main(sys.argv[1])
