"""Report intake throughput and latency, and "no acknowledged report is lost".

Usage (from the repository root; needs PostgreSQL):

    .venv/bin/python bench/assistance/intake.py --seconds 60 --rate 250
    .venv/bin/python bench/assistance/intake.py --seconds 20 --rate 250 --kill-after 10

A gunicorn server (2 workers x 16 threads, as ``hamroh serve``) answers on loopback; the
load generator posts real reports (JSON, the public API) at a fixed rate over keep-alive
connections and records each latency. With ``--kill-after`` the whole server is killed with
SIGKILL mid-stream, and every reference the server acknowledged (HTTP 201) is looked up in
the database afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    DEFAULT_URL,
    create_database,
    environment,
    load,
    manage,
    server_cpu_split,
    start_redis,
    start_server,
    stop_server,
)

POINTS = ["dme", "vko", "svo", "sagarchin", "ala", "zhibek-zholy"]
TYPES = ["held_at_border", "denied_entry", "detention", "unpaid_wages", "documents", "consultation"]
NAMES = ["Ҷӯраев Ҷамшед", "Saidov Bakhtiyor", "Раҳимов Фирӯз", "Karimzoda Muhammad", ""]


def report_body(n: int) -> bytes:
    rng = random.Random(n)
    anonymous = rng.random() < 0.2
    return json.dumps(
        {
            "case_type": rng.choice(TYPES),
            "border_point": rng.choice(POINTS),
            "hours_held": rng.randint(1, 48),
            "documents_taken": rng.random() < 0.3,
            "anonymous": anonymous,
            "reporter_name": "" if anonymous else rng.choice(NAMES),
            "reporter_phone": ""
            if anonymous
            else f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            "narrative": "Held at passport control since the morning; the officers took the passport.",
        }
    ).encode()


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=250, help="offered reports per second")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=16, help="threads per worker (hamroh serve: 16)"
    )
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--kill-after", type=float, default=0)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--warmup",
        type=float,
        default=5,
        help="seconds of reports before measuring (first requests import code, connect)",
    )
    parser.add_argument(
        "--no-redis", action="store_true", help="keep counters in the database cache"
    )
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    create_database(url, fresh=True)
    env = environment(url)
    redis = start_redis() if not options.no_redis else None
    if redis is not None:
        env["REDIS_URL"] = "redis://127.0.0.1:6391/0"
    manage(env, "migrate", "-v", "0")
    manage(env, "load_reference_data", "-v", "0")
    manage(env, "shell", "-c", "from hamroh.core.demo import load_demo_data; load_demo_data()")
    server = start_server(env, options.port, options.workers, options.threads)

    def make(n: int) -> tuple[str, str, bytes, dict[str, str]]:
        return (
            "POST",
            "/api/v1/assistance/reports/",
            report_body(n),
            {"Content-Type": "application/json"},
        )

    def acknowledged(status: int, data: bytes, results: object) -> None:
        if status == 201:
            reference = json.loads(data)["reference"]
            with results.lock:  # type: ignore[attr-defined]
                results.acknowledged.append(reference)  # type: ignore[attr-defined]

    warmed: list[str] = []
    if options.warmup and not options.kill_after:
        # Steady state only: each worker thread's first requests import the URL
        # configuration and open its database connection, a few seconds of CPU that would
        # otherwise be charged to the reports of a short run.
        warm, _ = load(
            options.port,
            make,
            seconds=options.warmup,
            connections=options.connections,
            rate=min(options.rate, 50),
            on_response=acknowledged,
        )
        warmed = warm.acknowledged
    stop = threading.Event()
    cpu_before = server_cpu_split(server, url)
    cpu_after = cpu_before
    load_before = os.getloadavg()
    killer = None
    if options.kill_after:

        def kill() -> None:
            time.sleep(options.kill_after)
            import signal

            stop_server(server, signal.SIGKILL)
            stop.set()

        killer = threading.Thread(target=kill, daemon=True)
        killer.start()
    generator_cpu = _own_cpu()
    try:
        results, elapsed = load(
            options.port,
            make,
            seconds=options.seconds,
            connections=options.connections,
            rate=options.rate,
            on_response=acknowledged,
            stop=stop,
        )
    finally:
        generator_cpu = _own_cpu() - generator_cpu
        if not options.kill_after:
            cpu_after = server_cpu_split(server, url)
            stop_server(server)
    if killer is not None:
        killer.join()
    if redis is not None:
        redis.terminate()

    import psycopg

    with psycopg.connect(url) as connection:
        stored = {row[0] for row in connection.execute("SELECT reference FROM assistance_case")}
    lost = [ref for ref in warmed + results.acknowledged if ref not in stored]
    summary = {
        "offered_rate": options.rate,
        "workers_threads": [options.workers, options.threads],
        "seconds": round(elapsed, 1),
        "acknowledged": len(results.acknowledged),
        "warmup_acknowledged": len(warmed),
        "throughput_per_s": round(len(results.latencies) / elapsed, 1),
        "p50_ms": round(results.percentile(50), 1),
        "p95_ms": round(results.percentile(95), 1),
        "p99_ms": round(results.percentile(99), 1),
        "errors": results.errors,
        "stored_rows": len(stored),
        "acknowledged_but_lost": len(lost),
        "killed_after_s": options.kill_after or None,
        "cache": "redis" if redis is not None else "database",
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
    }
    served = max(1, len(results.latencies))
    if sum(cpu_after) > sum(cpu_before):
        app, database = (
            after - before for after, before in zip(cpu_after, cpu_before, strict=True)
        )
        summary["server_cpu_ms_per_report"] = round((app + database) * 1000 / served, 1)
        summary["app_cpu_ms_per_report"] = round(app * 1000 / served, 1)
        summary["database_cpu_ms_per_report"] = round(database * 1000 / served, 1)
    # The load generator shares the two cores: its CPU is part of what the machine spends.
    summary["load_generator_cpu_ms_per_report"] = round(generator_cpu * 1000 / served, 1)
    print(json.dumps(summary, indent=2))
    if options.json:
        options.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
