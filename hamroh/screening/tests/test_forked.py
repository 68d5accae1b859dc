"""Chunks of work in forked workers (screening.forked)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hamroh.screening import forked

pytestmark = pytest.mark.skipif(not forked.usable(), reason="needs fork and two cores")


def _square_or_fail(chunk: int) -> int:
    if chunk == 3:
        raise ValueError("three")
    return chunk * chunk


def test_results_come_back_in_chunk_order():
    chunks = [5, 0, 4, 1, 2, 6]
    found = list(forked.in_forked_workers(chunks, _square_or_fail, what="testing"))
    assert found == [25, 0, 16, 1, 4, 36]


def test_an_error_closes_the_chunks_at_once():
    # A generator of chunks may hold a database cursor open: it must be closed when the work
    # fails, not whenever the garbage collector gets to it (by then, in another transaction).
    closed: list[bool] = []

    def chunks() -> Iterator[int]:
        try:
            yield from range(8)
        finally:
            closed.append(True)

    with pytest.raises(RuntimeError, match="testing failed") as caught:
        list(forked.in_forked_workers(chunks(), _square_or_fail, what="testing"))
    assert caught.value is not None  # the traceback (and the generator) are still alive
    assert closed == [True]
