"""Fixed-window counters per address: one increment per attempt, whatever the traffic.

DRF's own throttles keep every timestamp of the window in one cache value, which grows
with each request from a busy address (a carrier NAT, or the benchmark) until each check
costs more than the report it guards. With Redis (``REDIS_URL``) the counter is a cache
``SET … NX EX`` and ``INCR`` sent together (one round trip, on one client kept per process:
Django's Redis cache builds a client object for every call and sends ``add`` and ``incr``
as three commands); with the database cache it is one ``INSERT … ON CONFLICT … RETURNING`` on
``RateCounter`` (PostgreSQL and SQLite 3.35+ both speak it), where the cache would need five
queries.
"""

from __future__ import annotations

import functools
import os
import random
from typing import Any

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


def _redis_cache() -> bool:
    return settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@functools.cache
def _redis_client(location: str) -> Any:
    """One client per process for the cache's Redis (its first server, the one Django's
    cache writes to); redis-py opens new connections after a fork."""
    import redis

    return redis.Redis.from_url(location)


def _count_in_redis(key: str, window: int) -> int:
    location = settings.CACHES["default"]["LOCATION"]
    servers = location.split(",") if isinstance(location, str) else list(location)
    client = _redis_client(servers[0].strip())
    name = cache.make_and_validate_key(key)  # the name the cache itself would use
    with client.pipeline(transaction=True) as pipe:
        pipe.set(name, 0, nx=True, ex=window)
        pipe.incr(name)
        return int(pipe.execute()[1])


def over_limit(request: HttpRequest, bucket: str, allowed: int, window: int = WINDOW) -> bool:
    """Count one attempt; True once the address has used up its allowance."""
    slot = int(timezone.now().timestamp()) // window
    key = f"assistance:{bucket}:{client_ip(request) or 'unknown'}:{window}:{slot}"
    if _database_cache():
        return _count_in_table(key, slot) > allowed
    if _redis_cache():
        return _count_in_redis(key, window) > allowed
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > allowed
