"""Screening benchmark: load a list, screen a registry against it, self-check over HTTP.

    .venv/bin/python bench/screening/run.py --size 100000            # quick
    .venv/bin/python bench/screening/run.py --size 1000000 --requests 3000

Runs against a fresh SQLite database in a temporary data folder (or ``DATABASE_URL``), with
the real services: ``load_list`` (parse, encrypt, insert, diff, one transaction),
``execute_run`` of a registry-scope run (index built from the stored, encrypted entries,
engine screening, possible matches written), and the public self-check endpoint served by
gunicorn and hit from a loopback load generator written here (keep-alive connections, one
per client thread). Prints a Markdown summary for docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"


def setup_django(data_dir: Path) -> None:
    os.environ["HAMROH_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from hamroh.core.demo import load_demo_data
    from hamroh.core.reference import load_reference_data

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_reference_data()
    load_demo_data()


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(conn: http.client.HTTPConnection, body: dict[str, str]) -> tuple[int, dict, float]:
    payload = json.dumps(body)
    started = time.perf_counter()
    conn.request(
        "POST",
        "/api/v1/screening/self-check/",
        body=payload,
        headers={"Content-Type": "application/json", "Connection": "keep-alive"},
    )
    response = conn.getresponse()
    data = response.read()
    return response.status, json.loads(data), time.perf_counter() - started


def self_check_load(
    port: int, queries: list[tuple[dict[str, str], str]], clients: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    wrong = 0
    lock = threading.Lock()
    chunks = [queries[i::clients] for i in range(clients)]

    def work(chunk: list[tuple[dict[str, str], str]]) -> None:
        nonlocal wrong
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for body, expected in chunk:
            status, answer, elapsed = post(conn, body)
            with lock:
                latencies.append(elapsed)
                if status != 200 or answer["result"] != expected:
                    wrong += 1
        conn.close()

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, wrong


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads (1 worker)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--only-load", action="store_true", help="measure the list load only")
    parser.add_argument(
        "--skip-screen", action="store_true", help="load, then the self-check only (no batch run)"
    )
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    list_path = out / f"screening_{args.size}_list.csv"
    people_path = out / f"screening_{args.size}_people.csv"
    truth_path = out / f"screening_{args.size}_truth.csv"
    if not list_path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench/screening/generate.py"), "--size", str(args.size)],
            check=True,
        )
    data_dir = Path(tempfile.mkdtemp(prefix="hamroh-bench-screening-"))
    results: dict[str, object] = {"size": args.size}
    server = None
    try:
        setup_django(data_dir)
        from django.db import connection

        from hamroh.core.models import User
        from hamroh.identity.engine import read_person_csv
        from hamroh.registry import selectors as registry_selectors
        from hamroh.screening import indexes, services
        from hamroh.screening.models import PossibleMatch

        results["database"] = connection.vendor
        reviewer = User.objects.select_related("agency").get(username="reviewer")
        restriction_list = services.create_list(
            actor=reviewer, name="Bench list", kind="entry_ban", country_code="RUS"
        )
        data = list_path.read_bytes()
        started = time.perf_counter()
        cpu_before = cpu_seconds()
        version = services.load_list(
            actor=reviewer, restriction_list=restriction_list, file_name=list_path.name, data=data
        )
        results["load_seconds"] = round(time.perf_counter() - started, 1)
        # CPU time of this process and its encryption workers: on a shared machine the wall
        # time depends on the neighbours, the CPU time much less.
        results["load_cpu_seconds"] = round(cpu_seconds() - cpu_before, 1)
        results["load_average_1min"] = os.getloadavg()[0]
        results["entries"] = version.entry_count
        print(f"loaded {version.entry_count} entries in {results['load_seconds']} s", flush=True)
        if args.only_load:
            print(json.dumps(results, indent=2, ensure_ascii=False))
            return

        with truth_path.open(encoding="utf-8") as handle:
            truth = {(f"registry:{r['person_id']}", r["entry_id"]) for r in csv.DictReader(handle)}
        if not args.skip_screen:
            people = read_person_csv(people_path)
            registry_selectors.iter_identity_records = lambda **kwargs: iter(people)  # type: ignore[attr-defined]
            timed: dict[str, float] = {}
            original_index_for = indexes.index_for

            def timed_index_for(v):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                index = original_index_for(v)
                timed["index"] = timed.get("index", 0) + time.perf_counter() - t
                return index

            indexes.index_for = timed_index_for  # type: ignore[assignment]
            indexes.forget_all()
            run = services.screen_registry(actor=reviewer, enqueue=False)
            started = time.perf_counter()
            cpu_before = cpu_seconds()
            run = services.execute_run(run.pk)
            results["screen_seconds"] = round(time.perf_counter() - started, 1)
            results["screen_cpu_seconds"] = round(cpu_seconds() - cpu_before, 1)
            results["index_seconds"] = round(timed.get("index", 0), 1)
            results["screened"] = run.screened
            results["raised"] = run.raised
            indexes.index_for = original_index_for  # type: ignore[assignment]
            raised = set(
                PossibleMatch.objects.filter(run=run).values_list("subject_ref", "entry__entry_id")
            )
            results["true_pairs_raised"] = f"{len(truth & raised)} of {len(truth)}"
            results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(
                f"screened {run.screened} in {results['screen_seconds']} s "
                f"(index {results['index_seconds']} s), raised {run.raised}",
                flush=True,
            )
            indexes.forget_all()
            people = []  # free the memory before the HTTP part

        # --- self-check over HTTP ---------------------------------------------------------
        port = free_port()
        env = {
            **os.environ,
            "HAMROH_SELF_CHECK_PER_ADDRESS": "1000000000",
            "HAMROH_SELF_CHECK_PER_IDENTITY": "1000000000",
        }
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "hamroh.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--timeout",
                "600",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        rng = random.Random(7)
        listed = []
        with people_path.open(encoding="utf-8") as handle:
            rows = {r["id"]: r for r in csv.DictReader(handle)}
        for person_id, _entry in sorted(truth):
            row = rows[person_id.removeprefix("registry:")]
            if len(row["birth_date"]) == 10 and row["document_number"]:
                listed.append(row)
        listed_ids = {p.removeprefix("registry:") for p, _ in truth}
        others = [r for r in rows.values() if r["id"] not in listed_ids]
        del rows
        queries: list[tuple[dict[str, str], str]] = []
        for n in range(args.requests):
            kind = n % 3
            row = rng.choice(listed if kind < 2 else others)
            body = {
                "full_name": f"{row['surname']} {row['given_name']}",
                "birth_date": row["birth_date"],
                "document_number": row["document_number"],
            }
            if kind == 1:  # a partial match: the passport number is one digit off
                body["document_number"] = row["document_number"][:-1] + str(
                    (int(row["document_number"][-1]) + 1) % 10
                )
            queries.append((body, "found" if kind == 0 else "no_record"))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.5)
        started = time.perf_counter()
        while post(conn, queries[0][0])[0] == 503:  # the worker builds its index meanwhile
            time.sleep(2)
            conn.close()  # gunicorn closes a connection idle for 2 s (its keep-alive)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        results["index_ready_after_seconds"] = round(time.perf_counter() - started, 1)
        post(conn, queries[1][0])
        conn.close()
        for thread_count in sorted({1, args.clients}):
            latencies, wrong = self_check_load(port, queries, thread_count)
            latencies.sort()
            key = f"clients_{thread_count}"
            results[key] = {
                "requests": len(latencies),
                "p50_ms": round(statistics.median(latencies) * 1000, 1),
                "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
                "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
                "max_ms": round(latencies[-1] * 1000, 1),
                "wrong_answers": wrong,
            }
            print(key, results[key], flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
