"""Queue page latency with a million cases.

Usage (from the repository root; needs PostgreSQL):

    .venv/bin/python bench/assistance/queue_page.py --cases 1000000 --requests 400

Seeds the cases with one INSERT ... SELECT FROM generate_series (no personal fields: the
queue never shows them), then a signed-in caseworker of the Moscow representation asks
for the desk's queue pages (unassigned, mine, team, overdue; pages 1-20) over HTTP and the
latency of each full page (HTML rendered) is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    DEFAULT_URL,
    PYTHON,
    ROOT,
    create_database,
    environment,
    load,
    manage,
    server_cpu_seconds,
    start_server,
    stop_server,
)

SEED = """
WITH agencies AS (
    SELECT array_agg(id ORDER BY code) AS ids FROM core_agency
    WHERE code IN ('mlme-mow', 'mlme-ala', 'mlme-ekb', 'mlme')
), people AS (
    SELECT array_agg(id ORDER BY username) AS ids FROM core_user
    WHERE username IN ('caseworker', 'supervisor', 'caseworker-ala')
), types AS (SELECT array_agg(id ORDER BY id) AS ids FROM assistance_casetype),
points AS (SELECT array_agg(id ORDER BY id) AS ids FROM assistance_borderpoint)
INSERT INTO assistance_case (
    reference, followup_hash, case_type_id, urgency, status, is_open, channel, owning_agency_id,
    assignee_id, border_point_id, city, anonymous, reporter_name, reporter_phone, phone_index,
    reporter_contact, telegram_chat, telegram_index, narrative, answers, language, wants_updates,
    created_at, updated_at, first_contact_at, first_contact_due, resolution_due, closed_at,
    first_contact_breached, resolution_breached, escalated_at, hours_held
)
SELECT
    'HMR-2025-' || lpad(i::text, 7, '0'),
    md5(i::text) || md5('x' || i::text),
    types.ids[1 + i % array_length(types.ids, 1)],
    (ARRAY['critical', 'high', 'normal', 'low'])[1 + i % 4],
    CASE WHEN i % 10 < 7 THEN 'closed' WHEN i % 10 = 7 THEN 'new' ELSE 'open' END,
    i % 10 >= 7,
    'web',
    agencies.ids[1 + i % 4],
    CASE WHEN i % 10 = 7 THEN NULL ELSE people.ids[1 + i % 3] END,
    points.ids[1 + i % array_length(points.ids, 1)],
    '', i % 5 = 0, '', '', '', '', '', '', '', '', 'ru', false,
    now() - (i % 365) * interval '1 day' - (i::bigint * 7919 % 86400) * interval '1 second',
    now(),
    NULL,
    now() - (i % 365) * interval '1 day' - (i::bigint * 7919 % 86400) * interval '1 second' + interval '8 hours',
    now() - (i % 365) * interval '1 day' - (i::bigint * 7919 % 86400) * interval '1 second' + interval '30 days',
    CASE WHEN i % 10 < 7 THEN now() - (i % 300) * interval '1 day' END,
    i % 13 = 0, i % 17 = 0, NULL,
    CASE WHEN i % 6 = 0 THEN i % 48 END
FROM generate_series(1, %(n)s) AS i, agencies, people, types, points
"""

QUEUES = ["unassigned", "mine", "team", "overdue"]


def session_cookie(env: dict[str, str]) -> str:
    code = (
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from hamroh.core.models import User;"
        "u = User.objects.get(username='caseworker');"
        "s = SessionStore();"
        "s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


SQL_TIMING = """
import json, time
from django.db import connection
from hamroh.core.models import User
from hamroh.assistance import selectors
user = User.objects.select_related("agency").get(username="caseworker")
timings = []
for _ in range(5):
    for queue in ("unassigned", "mine", "team", "overdue"):
        for page in (1, 5, 10, 20):
            sql, params = selectors.queue(user, queue)[(page - 1) * 50 : page * 50 + 1].query.sql_with_params()
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
timings.sort()
print(json.dumps({"sql_p50_ms": round(timings[len(timings) // 2], 1), "sql_p95_ms": round(timings[int(len(timings) * 0.95)], 1)}))
"""


def sql_timing(env: dict[str, str]) -> dict[str, float]:
    """The database's share: the queue queries alone, as the page sends them."""
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-c", SQL_TIMING],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL.replace("assist", "assist_queue"))
    create_database(url, fresh=not options.reuse)
    env = environment(url)
    import psycopg

    if not options.reuse:
        manage(env, "migrate", "-v", "0")
        manage(env, "load_reference_data", "-v", "0")
        manage(env, "shell", "-c", "from hamroh.core.demo import load_demo_data; load_demo_data()")
        started = time.perf_counter()
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(SEED.replace("%(n)s", str(int(options.cases))))
            connection.execute("VACUUM ANALYZE assistance_case")
        print(f"seeded {options.cases} cases in {time.perf_counter() - started:.0f} s", flush=True)
    with psycopg.connect(url) as connection:
        total = connection.execute("SELECT count(*) FROM assistance_case").fetchone()[0]
    cookie = session_cookie(env)
    server = start_server(env, options.port)
    rng = random.Random(7)
    plan = [(rng.choice(QUEUES), rng.randint(1, 20)) for _ in range(options.requests)]
    per_queue: dict[str, list[float]] = {q: [] for q in QUEUES}

    def make(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        queue, page = plan[(n % 10_000_000 * options.connections + n // 10_000_000) % len(plan)]
        return (
            "GET",
            f"/desk/assistance/?queue={queue}&page={page}",
            b"",
            {"Cookie": f"sessionid={cookie}"},
        )

    try:
        # Warm up each worker's connection and Django's template cache.
        load(options.port, make, seconds=3, connections=options.connections)
        per_connection = options.requests // options.connections
        counter = {"n": 0}

        def bounded(n: int) -> tuple[str, str, bytes, dict[str, str]]:
            counter["n"] += 1
            return make(n)

        cpu_before = server_cpu_seconds(server, url)
        results, elapsed = load(
            options.port,
            bounded,
            seconds=max(5.0, per_connection * 0.5),
            connections=options.connections,
        )
        cpu_after = server_cpu_seconds(server, url)
    finally:
        stop_server(server)
    summary = {
        "cases": total,
        "requests": len(results.latencies),
        "errors": results.errors,
        "seconds": round(elapsed, 1),
        "pages_per_s": round(len(results.latencies) / elapsed, 1),
        "p50_ms": round(results.percentile(50), 1),
        "p95_ms": round(results.percentile(95), 1),
        "p99_ms": round(results.percentile(99), 1),
        "server_cpu_ms_per_page": round(
            (cpu_after - cpu_before) * 1000 / max(1, len(results.latencies)), 1
        ),
        "connections": options.connections,
        **sql_timing(env),
    }
    del per_queue
    print(json.dumps(summary, indent=2))
    if options.json:
        options.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
