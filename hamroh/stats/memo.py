"""Remembered results of the heavy counts, so dashboards answer in milliseconds.

A result is stored under the current *data version*: a counter bumped by every write in
this app, combined with the newest record, import and figure change, so a write that
bypassed the counter (or a rolled-back test) still gives a new version. Old entries are
simply never asked for again and expire.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max

T = TypeVar("T")
COUNTER_KEY = "stats:version"
TIMEOUT = 24 * 3600


def bump() -> None:
    try:
        cache.incr(COUNTER_KEY)
    except ValueError:
        cache.set(COUNTER_KEY, 1, None)


def data_version() -> str:
    from hamroh.stats.models import Departure, Figure, ImportBatch

    counter = cache.get(COUNTER_KEY, 0)
    newest_record = Departure.objects.aggregate(m=Max("pk"))["m"]
    newest_batch = ImportBatch.objects.aggregate(m=Max("pk"))["m"]
    newest_figure = Figure.objects.aggregate(m=Max("updated_at"))["m"]
    return f"{counter}:{newest_record}:{newest_batch}:{newest_figure}"


def remember(key: str, compute: Callable[[], T]) -> T:
    digest = hashlib.sha256(f"{data_version()}|{key}".encode()).hexdigest()[:40]
    full_key = f"stats:{digest}"
    found = cache.get(full_key)
    if found is not None:
        return found
    value = compute()
    cache.set(full_key, value, TIMEOUT)
    return value
