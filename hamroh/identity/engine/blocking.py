"""Blocking: which pairs are worth scoring at all.

Comparing everyone with everyone is 10^12 pairs at national scale, so each record gets a
few keys and only records sharing a key are scored. Keys are built from the *name pair*
(surname root and given-name root, sorted, so swapped fields and the surname reform land
together) combined with pieces of the birth date, so that one kind of damage never hides
a true pair:

=========================  =========================================  ====================
key                        catches                                    indexed / probed by
=========================  =========================================  ====================
names + year + {day,month}  exact date, day/month swapped              complete dates
names + year + month        one mistyped day                           complete dates
names + year + day          one mistyped month                         complete dates
names + month + day         one mistyped year                          complete dates
one name root + full date   a mistyped or different-script name        complete dates
loose names + full date     a mistyped name and a day/month swap       complete dates
names + year                partial dates (year or year-month)         see below
names only                  missing dates, names rare enough           see below
names + patronymic          missing dates, common names                see below
document number             anything with the same document            everyone
=========================  =========================================  ====================

"Loose names" is the name pair with one of the two roots cut to its first three letters,
so a typo in the rest of that name still meets; the partial-date keys exist for the loose
pair too.

Partial-date records are indexed under "names + year (partial)" and probe "names + year
(any)"; undated records are indexed under "names (undated)" and probe "names (any)". So a
dated record never drags in every namesake, only the ones whose date cannot rule it out.
With no date at all, a pair of common names ("Раҳимов Муҳаммад") cannot reach the review
threshold on names alone, so such records meet only through the patronymic or the
document: this keeps a national list from pairing every undated record with thousands of
namesakes that scoring would throw away anyway.

Each record contributes a few string hashes (the name pair, the two loose pairs, each
root, the document); the keys themselves are mixed from those and the date parts with
vectorised 64-bit arithmetic (numpy), which is what makes a million records take seconds.
A hash collision only adds a pair to score, never loses one. Python salts string hashes per
process, so keys are never persisted or compared across processes that did not fork from
the one that made them.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .features import Features
from .scoring import REVIEW_THRESHOLD_OPEN_DATE, Frequencies

_PREFIX = 3
_U = np.uint64


def _names(f: Features) -> tuple[str, str]:
    a, b = f.surname.base, f.given.base
    return (a, b) if a <= b else (b, a)


def _mix(*parts: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Combine 64-bit parts into one well-spread 64-bit key (splitmix64 finaliser)."""
    x = np.zeros_like(parts[0])
    for k, part in enumerate(parts):
        x = (x ^ part) * _U(0x9E3779B97F4A7C15 + 2 * k)
        x ^= x >> _U(29)
    x = (x ^ (x >> _U(31))) * _U(0xBF58476D1CE4E5B9)
    return x ^ (x >> _U(32))


# Key tags: keep each distinct so that, e.g., "names + year + month" never meets
# "names + month + day".
(
    _DATE,
    _YEAR_MONTH,
    _YEAR_DAY,
    _MONTH_DAY,
    _ROOT_DATE,
    _PARTIAL,
    _YEAR_ANY,
    _UNDATED,
    _NAMES_ANY,
    _DOCUMENT,
    _LOOSE_DATE,
    _LOOSE_YEAR_MONTH,
    _LOOSE_PARTIAL,
    _LOOSE_YEAR_ANY,
    _UNDATED_PATRONYMIC,
    _NAMES_ANY_PATRONYMIC,
) = (_U(t) for t in range(1, 17))
# Weight slack for the rarity test (sex and nationality agreement, rounding).
_OPEN_SLACK = 1.5


RecordParts = tuple["array[int]", "array[int]"]
"""Per record: seven string hashes (names, loose a, loose b, root 1, root 2, document,
names with patronymic) and four date slots (year, month, day, and the rarity flag that
:func:`key_arrays` fills in)."""


def record_parts(features: Sequence[Features]) -> RecordParts:
    """The parts of the blocking keys that depend on each record alone (not on the
    index's name frequencies): a worker process forked from the one that builds the index
    can work them out for its share of the records (string hashes are salted per process
    but inherited by forked ones)."""
    n = len(features)
    hashes = array("q", bytes(8 * 7 * n))
    dates = array("i", bytes(4 * 4 * n))
    for i, f in enumerate(features):
        n1, n2 = _names(f)
        at = 7 * i
        if n1 or n2:
            hashes[at] = hash((n1, n2)) or 1
            if n1 and n2:
                hashes[at + 1] = hash((n1, n2[:_PREFIX]))
                hashes[at + 2] = hash((n1[:_PREFIX], n2))
            if n1:
                hashes[at + 3] = hash(n1)
            if n2:
                hashes[at + 4] = hash(n2)
            if f.patronymic.root:
                hashes[at + 6] = hash((n1, n2, f.patronymic.root))
        if f.document:
            hashes[at + 5] = hash(f.document)
        dates[4 * i] = f.year
        dates[4 * i + 1] = f.month
        dates[4 * i + 2] = f.day
    return hashes, dates


def key_arrays(
    features: Sequence[Features],
    *,
    probe: bool,
    freq: Frequencies,
    parts: RecordParts | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Blocking keys of ``features`` and the position of the record each key belongs to.

    ``probe=False`` gives the keys a record is stored under in an index, ``probe=True``
    the keys to look up for it (they differ for partial and missing dates, see above).
    ``freq`` are the index's name frequencies: with no birth date to go on, a pair whose
    names are too common to ever reach the review threshold on their own is only looked
    for together with its patronymic (or document). ``parts`` are the records'
    :func:`record_parts` if they were worked out already (their rarity flags are set here).
    """
    n = len(features)
    if parts is None:
        parts = record_parts(features)
    hashes, dates = parts
    if len(hashes) != 7 * n or len(dates) != 4 * n:
        raise ValueError("record parts of other records")
    rare_enough = freq.prior + REVIEW_THRESHOLD_OPEN_DATE - _OPEN_SLACK
    weight = freq.weight
    for i, f in enumerate(features):
        if hashes[7 * i]:  # named
            if f.year and not f.day:
                dates[4 * i + 3] = 1
            else:
                # Undated, or a dated record meeting undated ones: only if its names are
                # rare enough.
                dates[4 * i + 3] = (
                    weight(0, f.surname.root) + weight(1, f.given.root) >= rare_enough
                )
    h = np.frombuffer(hashes, dtype=np.int64).reshape(n, 7).view(np.uint64)
    d = np.frombuffer(dates, dtype=np.int32).reshape(n, 4).astype(np.uint64)
    names, loose_a, loose_b, root1, root2, doc, with_patronymic = (h[:, k] for k in range(7))
    y, m, day = d[:, 0], d[:, 1], d[:, 2]
    rare = d[:, 3] != 0
    lo, hi = np.minimum(m, day), np.maximum(m, day)
    named = names != 0
    complete = named & (day != 0)
    partial = named & (day == 0) & (y != 0)
    undated = named & (y == 0)
    loose = loose_a != 0
    patronymic = with_patronymic != 0

    keys: list[npt.NDArray[np.uint64]] = []
    rows: list[npt.NDArray[np.int64]] = []
    positions = np.arange(n, dtype=np.int64)

    def add(mask: npt.NDArray[np.bool_], key: npt.NDArray[np.uint64]) -> None:
        keys.append(key[mask])
        rows.append(positions[mask])

    def tag(t: np.uint64) -> npt.NDArray[np.uint64]:
        return np.full(n, t, dtype=np.uint64)

    add(complete, _mix(tag(_DATE), names, y, lo, hi))
    add(complete, _mix(tag(_YEAR_MONTH), names, y, m))
    add(complete, _mix(tag(_YEAR_DAY), names, y, day))
    add(complete, _mix(tag(_MONTH_DAY), names, m, day))
    for root in (root1, root2):
        add(complete & (root != 0), _mix(tag(_ROOT_DATE), root, y, m, day))
    for pair in (loose_a, loose_b):
        add(complete & loose, _mix(tag(_LOOSE_DATE), pair, y, lo, hi))
    # Partial and undated records: stored under one family of keys, probed by another,
    # so a dated probe meets only the namesakes whose date cannot rule them out.
    dated = complete | partial
    if probe:
        add(complete, _mix(tag(_PARTIAL), names, y))
        add(partial, _mix(tag(_YEAR_ANY), names, y))
        add(dated & rare, _mix(tag(_UNDATED), names))
        add(undated & rare, _mix(tag(_NAMES_ANY), names))
        add(dated & patronymic, _mix(tag(_UNDATED_PATRONYMIC), with_patronymic))
        add(undated & patronymic, _mix(tag(_NAMES_ANY_PATRONYMIC), with_patronymic))
        for pair in (loose_a, loose_b):
            add(complete & loose, _mix(tag(_LOOSE_PARTIAL), pair, y))
            add(partial & loose, _mix(tag(_LOOSE_YEAR_ANY), pair, y))
    else:
        add(partial, _mix(tag(_PARTIAL), names, y))
        add(dated, _mix(tag(_YEAR_ANY), names, y))
        add(undated & rare, _mix(tag(_UNDATED), names))
        add(named & rare, _mix(tag(_NAMES_ANY), names))
        add(undated & patronymic, _mix(tag(_UNDATED_PATRONYMIC), with_patronymic))
        add(named & patronymic, _mix(tag(_NAMES_ANY_PATRONYMIC), with_patronymic))
        for pair in (loose_a, loose_b):
            add(partial & loose, _mix(tag(_LOOSE_PARTIAL), pair, y))
            add(dated & loose, _mix(tag(_LOOSE_YEAR_ANY), pair, y))
    add(doc != 0, _mix(tag(_DOCUMENT), doc))
    return (
        np.concatenate(keys).view(np.int64),
        np.concatenate(rows).astype(np.int32),
    )
