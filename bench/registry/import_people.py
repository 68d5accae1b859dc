"""How long ``hamroh import registry`` takes for a large person file.

Usage (from the repository root):

    .venv/bin/python bench/registry/import_people.py --rows 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hamroh .venv/bin/python bench/registry/import_people.py --rows 1000000

Runs on a throw-away database (SQLite in a temporary folder, or the PostgreSQL database
``hamroh_bench_registry``, dropped and created again). The file is made once under bench/out/.
Times the whole command: reading, checking every line, the passport check against the
registry, encrypting names, passports and phones, and storing all rows in one transaction.
The duplicate search with the identity engine is timed separately (``--dedupe-rows``),
because a migration of a whole registry is run with ``--skip-duplicate-check``.
"""

from __future__ import annotations

import argparse
import json
import time
from io import StringIO
from pathlib import Path

from common import backend, fresh_database, people_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dedupe-rows", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()

    path = people_file(options.rows)
    fresh_database("hamroh_bench_registry")
    from django.core.management import call_command

    from hamroh.registry.models import Person

    out = StringIO()
    started = time.perf_counter()
    call_command(
        "import_registry", str(path), "--agency", "aoe", "--skip-duplicate-check", stdout=out
    )
    seconds = time.perf_counter() - started
    stored = Person.objects.count()
    assert stored == options.rows, (stored, options.rows)
    results = {
        "backend": backend(),
        "rows": options.rows,
        "import_seconds": round(seconds, 1),
        "rows_per_second": round(options.rows / seconds),
    }
    if options.dedupe_rows:
        from hamroh.registry import importing

        small = people_file(options.dedupe_rows)
        started = time.perf_counter()
        report = importing.check_file(small, find_duplicates=True)
        results["dedupe_rows"] = options.dedupe_rows
        results["dedupe_against_registry"] = stored
        results["check_with_dedupe_seconds"] = round(time.perf_counter() - started, 1)
        results["merge_candidates"] = len(report.duplicates)
    print(json.dumps(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
