"""Batch modes: screen people against a list, and deduplicate one set of records.

Both build one :class:`Index` (compile every record, sort its blocking keys), then work
through the probes in slices: compile the slice, join its keys against the index in one
vectorised pass (:meth:`Index.join`), score the candidate pairs. Slices are independent,
so they run in forked worker processes that inherit the index instead of receiving it
pickled; where ``fork`` does not exist the same code runs in one process.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .features import Features, compile_record
from .index import Index, build_index
from .prefilter import Weights, reportable
from .records import Cluster, Decision, Match, PersonRecord
from .scoring import (
    DEDUPE_MATCH_THRESHOLD,
    Frequencies,
    NamesCache,
    PairScore,
    decide,
    explain,
    score_pair,
)

Progress = Callable[[int, int], None]
"""Called now and then with (records done, records in total)."""

_CHUNKS = 32  # enough for a smooth progress bar and balanced workers
_PARALLEL_FROM = 20_000  # records; below this starting processes costs more than it saves

# What forked workers read: set just before the pool starts, cleared after.
_shared: dict[str, Any] = {}

Row = tuple[str, str, float, Decision, str]


def _workers(requested: int | None) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, requested if requested is not None else min(2, os.cpu_count() or 1))


def _ranges(total: int, n: int) -> list[tuple[int, int]]:
    cuts = sorted({total * k // n for k in range(n + 1)})
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _screen_people(bounds: tuple[int, int]) -> list[Row]:
    """Compile, block and score one slice of the people (runs in a worker)."""
    lo, hi = bounds
    index: Index = _shared["index"]
    freq = index.frequencies
    prior = freq.prior
    entries = index.features
    people = [compile_record(p) for p in _shared["people"][lo:hi]]
    left, right = index.join(people)
    # Most candidate pairs are namesakes far below any decision: leave them out unscored.
    probes = index.probe_columns(people)
    keep = reportable(probes, Weights(people, freq), index.columns(), left, right, prior)
    left, right = left[keep], right[keep]
    out: list[Row] = []
    found: list[tuple[float, int, PairScore, Decision]] = []
    current = -1
    names: NamesCache = _shared.setdefault("names", {})  # one per worker and index
    for p, e in zip(left.tolist(), right.tolist(), strict=True):
        if p != current:
            out += _person_rows(people, current, found, entries, freq, prior)
            found, current = [], p
        pair = score_pair(people[p], entries[e], freq, names)
        decision = decide(pair, prior)
        if decision is not None:
            found.append((pair.score, e, pair, decision))
    out += _person_rows(people, current, found, entries, freq, prior)
    return out


def _person_rows(
    people: list[Features],
    p: int,
    found: list[tuple[float, int, PairScore, Decision]],
    entries: list[Features],
    freq: Frequencies,
    prior: float,
) -> list[Row]:
    if not found:
        return []
    found.sort(key=lambda item: -item[0])
    a = people[p]
    return [
        (a.id, entries[e].id, score - prior, decision, explain(a, entries[e], pair, freq))
        for score, e, pair, decision in found
    ]


def _dedupe_slice(bounds: tuple[int, int]) -> list[tuple[int, int]]:
    """Matching pairs (i, j), i < j, for records i in one slice (runs in a worker)."""
    lo, hi = bounds
    index: Index = _shared["index"]
    records = index.features
    freq = index.frequencies
    bar = DEDUPE_MATCH_THRESHOLD + freq.prior
    left, right = index.join(records[lo:hi])
    left += lo
    keep = right > left
    return [
        (i, j)
        for i, j in zip(left[keep].tolist(), right[keep].tolist(), strict=True)
        if score_pair(records[i], records[j], freq).score >= bar
    ]


def _run(
    task: Callable[[tuple[int, int]], list[Any]],
    total: int,
    workers: int,
    progress: Progress | None,
) -> Iterator[list[Any]]:
    """Run ``task`` over slices of ``range(total)``, in order, in forked workers if it pays."""
    chunks = _ranges(total, _CHUNKS if total >= _PARALLEL_FROM else 1)
    if workers > 1 and total >= _PARALLEL_FROM:
        # Objects that survive into the workers are frozen out of the cyclic collector,
        # which would otherwise write to every one of them and copy all shared pages.
        gc.collect()
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for (_lo, hi), rows in zip(chunks, pool.imap(task, chunks), strict=True):
                    yield rows
                    if progress is not None:
                        progress(hi, total)
        finally:
            gc.unfreeze()
    else:
        for lo, hi in chunks:
            yield task((lo, hi))
            if progress is not None:
                progress(hi, total)
    if progress is not None and not chunks:
        progress(0, 0)


def screen(
    people: Iterable[PersonRecord],
    entries: Iterable[PersonRecord] | Index,
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Iterator[Match]:
    """Every (person, entry) pair that is a ``match`` or needs ``review``.

    ``entries`` may be an :class:`Index` already built (the registry keeps one per list).
    Pairs come out grouped by person, best first within a person. ``score`` is the
    evidence in bits beyond what the list's size alone makes likely (see
    ``docs/identity.md``). ``workers`` defaults to two processes (or one if that is all).
    """
    index = entries if isinstance(entries, Index) else build_index(entries)
    people = people if isinstance(people, list) else list(people)
    index.columns()  # worked out once, before the workers are forked
    _shared.update(index=index, people=people)
    try:
        for rows in _run(_screen_people, len(people), _workers(workers), progress):
            for person_id, entry_id, score, decision, reasons in rows:
                yield Match(
                    person_id=person_id,
                    entry_id=entry_id,
                    score=round(score, 1),
                    decision=decision,
                    reasons=reasons,
                )
    finally:
        _shared.clear()


def _find(parent: list[int], i: int) -> int:
    root = i
    while parent[root] != root:
        root = parent[root]
    while parent[i] != root:  # path compression keeps later finds O(1)
        parent[i], i = root, parent[i]
    return root


def dedupe(
    records: Iterable[PersonRecord],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Cluster]:
    """Group records that are one person. Every record is in exactly one cluster.

    Only ``match`` pairs join clusters; ``review`` pairs are left apart, because one
    wrong join chains whole families of namesakes together.
    """
    index = build_index(records)
    _shared.update(index=index)
    parent = list(range(len(index)))
    try:
        for rows in _run(_dedupe_slice, len(index), _workers(workers), progress):
            for i, j in rows:
                ri, rj = _find(parent, i), _find(parent, j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    finally:
        _shared.clear()
    members: dict[int, list[str]] = {}
    for i, f in enumerate(index.features):
        members.setdefault(_find(parent, i), []).append(f.id)
    return [Cluster(cluster_id=ids[0], member_ids=tuple(ids)) for ids in members.values()]
