"""Fixed-window counters per address: one increment per attempt, whatever the traffic.

DRF's own throttles keep every timestamp of the window in one cache value, which grows
with each request from a busy address (a carrier NAT, or the benchmark) until each check
costs more than the report it guards. With Redis (``REDIS_URL``) the counter is a cache
``incr``; with the database cache it is one ``INSERT … ON CONFLICT … RETURNING`` on
``RateCounter`` (PostgreSQL and SQLite 3.35+ both speak it), where the cache would need five
queries.
"""

from __future__ import annotations

import os
import random

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from hamroh.assistance.models import RateCounter
from hamroh.core.middleware import client_ip

WINDOW = 3600


def limit(name: str, default: int) -> int:
    """Attempts per address and hour, from the environment (the benchmark raises them)."""
    return int(os.environ.get(name, str(default)))


def _database_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def _count_in_table(key: str, slot: int) -> int:
    table = RateCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, slot) VALUES (%s, 1, %s) "  # noqa: S608  (our table name)
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, slot],
        )
        count = int(cursor.fetchone()[0])
    if random.random() < 0.001:
        RateCounter.objects.filter(slot__lt=slot).delete()
    return count


def over_limit(request: HttpRequest, bucket: str, allowed: int, window: int = WINDOW) -> bool:
    """Count one attempt; True once the address has used up its allowance."""
    slot = int(timezone.now().timestamp()) // window
    key = f"assistance:{bucket}:{client_ip(request) or 'unknown'}:{window}:{slot}"
    if _database_cache():
        return _count_in_table(key, slot) > allowed
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > allowed
