"""How fast the audit chain appends and verifies.

Usage (from the repository root):

    .venv/bin/python bench/core/audit_chain.py --entries 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hamroh_bench .venv/bin/python bench/core/audit_chain.py

Works on a throw-away database: SQLite in a temporary folder unless DATABASE_URL is set
(the PostgreSQL database is created if missing and its audit table emptied first).
Appends go through ``hamroh.core.audit.append`` one at a time, each in its own
transaction, exactly as services do; verify walks the whole chain.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="hamroh-bench-")
    os.environ["HAMROH_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hamroh.core import audit
    from hamroh.core.models import AuditChainHead, AuditEntry

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table}")
        cursor.execute(f"DELETE FROM {AuditChainHead._meta.db_table}")

    started = time.perf_counter()
    for n in range(options.entries):
        audit.append(
            actor=None,
            actor_label="bench",
            action=AuditEntry.Action.READ,
            object_type="registry.person",
            object_id=str(n),
            fields=["surname", "given_name", "birth_date"],
        )
    append_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = audit.verify()
    verify_seconds = time.perf_counter() - started
    assert report.ok and report.entries == options.entries, report

    results = {
        "database": connection.vendor,
        "entries": options.entries,
        "append_per_second": round(options.entries / append_seconds),
        "append_ms_each": round(1000 * append_seconds / options.entries, 3),
        "verify_seconds": round(verify_seconds, 2),
        "verify_per_second": round(options.entries / verify_seconds),
    }
    print(json.dumps(results, indent=2))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
