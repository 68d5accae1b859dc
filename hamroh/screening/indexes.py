"""The engine's in-memory index of each active list version, kept per process.

Building the index of a million-entry list takes seconds (every entry is decrypted and
compiled), a look-up against it milliseconds. So each web or worker process builds an index
the first time it needs a version and keeps it until that list's active version changes.
"""

from __future__ import annotations

import json
import threading
from array import array
from collections.abc import Iterator
from functools import lru_cache

from django.db import connection

from hamroh.core.crypto import decrypt
from hamroh.identity.engine import BirthDate, Index, PersonRecord, build_index
from hamroh.identity.engine.blocking import record_parts
from hamroh.identity.engine.features import Features, compile_record
from hamroh.screening import forked
from hamroh.screening.models import ListEntry, ListVersion

_lock = threading.Lock()
_indexes: dict[int, tuple[int, Index]] = {}  # list id -> (version id, index)


@lru_cache(maxsize=100_000)
def _birth_date(text: str) -> BirthDate | None:
    # Birth dates repeat across a list or a registry: each is parsed once per process.
    try:
        return BirthDate.parse(text)
    except ValueError:
        return None


def person_record(record_id: str, values: dict[str, str]) -> PersonRecord:
    """The engine's record for stored person values (list entry or screened person)."""
    get = values.get
    birth = get("birth_date", "")
    return PersonRecord(
        id=record_id,
        surname=get("surname", ""),
        given_name=get("given_name", ""),
        patronymic=get("patronymic", ""),
        full_name=get("full_name", ""),
        birth_date=_birth_date(birth) if birth else None,
        sex=get("sex", ""),
        nationality=get("nationality", ""),
        document_number=get("document_number", ""),
    )


def _person(entry_id: str, person: str) -> PersonRecord:
    return person_record(entry_id, json.loads(decrypt(person)) if person else {})


def _stored_rows(version_id: int, size: int) -> Iterator[list[tuple[str, str]]]:
    """The version's (entry id, encrypted person) rows in the order they were written, in
    lists of ``size``, through a server-side cursor on PostgreSQL, so a million entries are
    never all in memory at once."""
    table = connection.ops.quote_name(ListEntry._meta.db_table)
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT entry_id, person FROM {table} WHERE version_id = %s",  # noqa: S608 (name only)
            [version_id],
        )
        while rows := cursor.fetchmany(size):
            yield rows


def _entries(version_id: int) -> Iterator[PersonRecord]:
    """The version's entries as engine records, read as plain rows (no model objects)."""
    for rows in _stored_rows(version_id, 10_000):
        for entry_id, person in rows:
            yield _person(entry_id, person)


PARALLEL_FROM = 100_000  # entries; a smaller list is indexed in this process
CHUNK = 25_000  # entries decrypted and compiled by one forked worker


def _compile(rows: list[tuple[str, str]]) -> tuple[list[Features], array[int], array[int]]:
    """Decrypt and compile ``rows`` and work out the per-record parts of their blocking keys
    (nine tenths of building an index); done in a forked worker."""
    features = [compile_record(_person(entry_id, person)) for entry_id, person in rows]
    return (features, *record_parts(features))


def _in_workers(version_id: int) -> Index:
    """The index built with forked workers: this process reads the stored rows, each chunk of
    :data:`CHUNK` is compiled by a worker (:func:`_compile`) while this one reads the next,
    and the compiled records are gathered in the order they were stored. The same records,
    so the same index, as :func:`build_index` of :func:`_entries`."""
    features: list[Features] = []
    hashes, dates = array("q"), array("i")
    compiled = forked.in_forked_workers(
        _stored_rows(version_id, CHUNK), _compile, what="compiling list entries"
    )
    for more_features, more_hashes, more_dates in compiled:
        features.extend(more_features)
        hashes.extend(more_hashes)
        dates.extend(more_dates)
    return Index(features, (hashes, dates))


def _build(version: ListVersion) -> Index:
    # Worker processes are forked only from the main thread: the web process builds its
    # index in a background thread, next to request threads that may hold locks.
    if (
        version.entry_count >= PARALLEL_FROM
        and forked.usable()
        and threading.current_thread() is threading.main_thread()
    ):
        return _in_workers(version.pk)
    return build_index(_entries(version.pk))


def index_for(version: ListVersion) -> Index:
    """The index of ``version``, built once per process and replaced when a newer one is active."""
    list_id = version.restriction_list_id
    cached = _indexes.get(list_id)
    if cached is not None and cached[0] == version.pk:
        return cached[1]
    with _lock:
        cached = _indexes.get(list_id)
        if cached is not None and cached[0] == version.pk:
            return cached[1]
        index = _build(version)
        _indexes[list_id] = (version.pk, index)
        return index


# Lists smaller than this are indexed on the spot (well under a second); a larger one is
# built in a background thread, so no request waits minutes for it (or is killed by the web
# server's timeout) while the index of a million entries is prepared.
BUILD_INLINE_BELOW = 50_000
_building: set[int] = set()


def _build_in_background(version: ListVersion) -> None:
    try:
        index_for(version)
    finally:
        _building.discard(version.pk)
        connection.close()  # this thread's own connection


def index_if_ready(version: ListVersion) -> Index | None:
    """The version's index, or None while it is being built in the background."""
    cached = _indexes.get(version.restriction_list_id)
    if cached is not None and cached[0] == version.pk:
        return cached[1]
    if version.entry_count < BUILD_INLINE_BELOW:
        return index_for(version)
    with _lock:
        if version.pk not in _building:
            _building.add(version.pk)
            threading.Thread(
                target=_build_in_background, args=(version,), name="screening-index", daemon=True
            ).start()
    return None


def forget_all() -> None:
    """Drop every cached index (tests, and after a list is withdrawn)."""
    with _lock:
        _indexes.clear()
