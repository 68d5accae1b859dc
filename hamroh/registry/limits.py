"""Rate limits of the public portal: counters in the shared cache, per client address."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

from hamroh.core.middleware import client_ip

# (attempts, seconds): enough for a family sharing one phone, far too few to guess a code.
LIMITS = {
    "code": (10, 15 * 60),
    "register": (20, 60 * 60),
    "correction": (5, 60 * 60),
    "apply": (30, 60 * 60),
}


def _key(request: HttpRequest, bucket: str) -> str:
    address = client_ip(request) or "unknown"
    # The address is hashed so the cache holds no address either.
    return "hamroh-rate:" + bucket + ":" + hashlib.sha256(address.encode()).hexdigest()[:32]


def limited(request: HttpRequest, bucket: str) -> bool:
    """Count one attempt; True when the limit for this address is already used up."""
    allowed, window = LIMITS[bucket]
    key = _key(request, bucket)
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return False
    return count > allowed
