"""Dashboard and table response times with the demo data (652,014 records for 2023).

    DATABASE_URL=sqlite:////tmp/stats-demo.sqlite3 .venv/bin/python bench/stats/bench_dashboard.py

Loads the demo into the database named by DATABASE_URL if it is not there, then signs in
as the statistician and times GET /desk/stats/ and the default table: the first request
after a write (cold) and 20 repeated ones (remembered).
"""

from __future__ import annotations

import os
import statistics
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from hamroh.core.models import User
    from hamroh.stats import memo

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"load_demo_data: {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(User.objects.get(username="statistician"))
    for name, url in (
        ("dashboard", "/desk/stats/?year=2023"),
        ("table", "/desk/stats/table/?measure=departures&kind=year&year=2023&by=destination"),
    ):
        client.get(url)  # templates and URL resolver loaded
        memo.bump()  # as after a write: nothing remembered
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        cold = time.perf_counter() - started
        times = []
        for _ in range(20):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        times.sort()
        print(
            f"{name}: cold {cold * 1000:.0f} ms; remembered p50 "
            f"{statistics.median(times) * 1000:.0f} ms, p95 {times[18] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
