"""How long ``hamroh import registry`` takes for a large person file.

Usage (from the repository root):

    .venv/bin/python bench/registry/import_people.py --rows 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/registry/import_people.py --rows 1000000

Runs on a throw-away database (SQLite in a temporary folder, or the PostgreSQL database
``hamroh_bench_import`` on the server DATABASE_URL names, dropped and created again). The file
is made once under bench/out/. Times the whole command: reading, checking every line, the
passport check against the registry, encrypting names, passports and phones, and storing all
rows in one transaction. Reports wall seconds, CPU seconds of this process and its worker
(``import_cpu_seconds``; the worker's share in ``worker_cpu_seconds``) and, when PostgreSQL
runs on this machine, of its server process (``server_cpu_seconds``), the split into checking
and storing (or the one pass that does both, ``check_and_store``), and the load average: on
a shared machine the wall time depends on the neighbours, the CPU time much less.

The duplicate search with the identity engine is timed separately (``--dedupe-rows``), because
a migration of a whole registry is run with ``--skip-duplicate-check``. ``--profile FILE``
writes a cProfile of the command (slower; for finding where the time goes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from io import StringIO
from pathlib import Path
from typing import Any

from common import backend, fresh_database, people_file


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


def _worker_cpu() -> float:
    """CPU seconds of the import's finished worker processes (the encryption)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL server process, if it runs here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dedupe-rows", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the import here")
    options = parser.parse_args()

    path = people_file(options.rows)
    fresh_database("hamroh_bench_import")
    from django.core.management import call_command

    from hamroh.registry import importing
    from hamroh.registry.models import Person

    # The split between checking and storing, timed around the functions the command calls.
    # The command without the duplicate search checks and stores in one pass
    # (``check_and_store``): its time is that phase's, the other two stay at 0.
    phases: dict[str, list[float]] = {
        "check": [0.0, 0.0],
        "store": [0.0, 0.0],
        "check_and_store": [0.0, 0.0],
    }

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), _cpu()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name][0] += time.perf_counter() - wall
                phases[name][1] += _cpu() - cpu

        return wrapper

    importing.check_file = timed("check", importing.check_file)  # type: ignore[assignment]
    importing.store = timed("store", importing.store)  # type: ignore[assignment]
    if hasattr(importing, "check_and_store"):
        importing.check_and_store = timed("check_and_store", importing.check_and_store)  # type: ignore[assignment]

    profiler = None
    if options.profile:
        import cProfile

        profiler = cProfile.Profile()
    out = StringIO()
    server_started = _server_cpu()
    started, cpu_started, worker_started = time.perf_counter(), _cpu(), _worker_cpu()
    if profiler is not None:
        profiler.enable()
    call_command(
        "import_registry", str(path), "--agency", "aoe", "--skip-duplicate-check", stdout=out
    )
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(options.profile)
    seconds = time.perf_counter() - started
    cpu_seconds = _cpu() - cpu_started
    server_ended = _server_cpu()
    stored = Person.objects.count()
    assert stored == options.rows, (stored, options.rows)
    results: dict[str, Any] = {
        "backend": backend(),
        "rows": options.rows,
        "import_seconds": round(seconds, 1),
        "import_cpu_seconds": round(cpu_seconds, 1),
        "worker_cpu_seconds": round(_worker_cpu() - worker_started, 1),
        "rows_per_second": round(options.rows / seconds),
        "server_cpu_seconds": (
            round(server_ended - server_started, 1)
            if server_started is not None and server_ended is not None
            else None
        ),
        "check_seconds": round(phases["check"][0], 1),
        "check_cpu_seconds": round(phases["check"][1], 1),
        "store_seconds": round(phases["store"][0], 1),
        "store_cpu_seconds": round(phases["store"][1], 1),
        "check_and_store_seconds": round(phases["check_and_store"][0], 1),
        "check_and_store_cpu_seconds": round(phases["check_and_store"][1], 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }
    if options.dedupe_rows:
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
