"""Shared set-up for the assistance benchmarks: a throw-away PostgreSQL database, a gunicorn
server on loopback, and a small threaded HTTP load generator (wrk is not installed; this
one keeps connections alive and records every latency)."""

from __future__ import annotations

import http.client
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hamroh_bench_assist"


def environment(database_url: str) -> dict[str, str]:
    data_dir = os.environ.get("HAMROH_BENCH_DATA_DIR") or tempfile.mkdtemp(
        prefix="hamroh-assist-bench-"
    )
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "HAMROH_DATA_DIR": data_dir,
            "HAMROH_BENCH_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "hamroh.settings",
            # The limits protect the public from one address; the load generator is one address.
            "HAMROH_REPORT_API_PER_HOUR": "100000000",
            "HAMROH_REPORT_LIMIT_PER_HOUR": "100000000",
            "HAMROH_LOG_LEVEL": "WARNING",
        }
    )
    return env


def start_redis(port: int = 6391) -> subprocess.Popen[bytes] | None:
    """A private Redis for cache and rate-limit counters, as production runs (REDIS_URL)."""
    binary = shutil.which("redis-server")
    if binary is None or importlib.util.find_spec("redis") is None:
        return None  # Django's Redis cache needs the redis package, not a project dependency
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def create_database(database_url: str, *, fresh: bool) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def start_server(
    env: dict[str, str], port: int, workers: int = 2, threads: int = 16
) -> subprocess.Popen[bytes]:
    """gunicorn as ``hamroh serve`` runs it (gthread, 16 threads per worker), in its own group."""
    manage(env, "collectstatic", "--noinput", "-v", "0")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "hamroh.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread",
            "--no-control-socket",
            "--log-level", "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    sys.exit("the server did not start")


def stop_server(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    process.wait(timeout=30)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_split(process: subprocess.Popen[bytes], database_url: str) -> tuple[float, float]:
    """CPU used so far by (the gunicorn processes, the database backends serving them)."""
    pids = {process.pid}
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = path.read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        if ppid == process.pid:
            pids.add(int(path.parent.name))
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres") as connection:
        backends = {
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchall()
        }
    return (
        sum(_cpu_seconds(pid) for pid in pids),
        sum(_cpu_seconds(pid) for pid in backends - pids),
    )


def server_cpu_seconds(process: subprocess.Popen[bytes], database_url: str) -> float:
    """CPU used so far by the gunicorn processes and the database backends serving them:
    on a shared machine, CPU per request says more than requests per second."""
    return sum(server_cpu_split(process, database_url))


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    acknowledged: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


Request = Callable[[int], tuple[str, str, bytes, dict[str, str]]]


def load(
    port: int,
    make_request: Request,
    *,
    seconds: float,
    connections: int,
    rate: float = 0,
    on_response: Callable[[int, bytes, Results], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[Results, float]:
    """Keep-alive connections sending requests for ``seconds``; ``rate`` > 0 paces them
    (open loop, so a slow server shows as latency, not as fewer requests)."""
    results = Results()
    stop = stop or threading.Event()
    started = time.perf_counter()
    interval = connections / rate if rate else 0.0

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        next_at = started + index * (interval / connections if interval else 0)
        while not stop.is_set() and time.perf_counter() - started < seconds:
            if interval:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
            method, path, body, headers = make_request(index * 10_000_000 + n)
            n += 1
            sent = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                with results.lock:
                    results.errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                if stop.is_set():
                    return
                time.sleep(0.05)
                continue
            elapsed = time.perf_counter() - sent
            with results.lock:
                if 200 <= response.status < 300:
                    results.latencies.append(elapsed)
                else:
                    results.errors += 1
            if on_response is not None:
                on_response(response.status, data, results)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started
