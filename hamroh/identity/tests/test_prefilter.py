"""The pre-filter of batch screening leaves out only pairs that could not be decided.

Every pair of a varied set of records (scripts, swapped and one-field names, patronymics,
complete, partial and missing dates with every kind of slip, sex, nationality, documents)
is scored with :func:`score_pair`, and its bound must never be below the score.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from hamroh.identity.engine import BirthDate, PersonRecord, linkage, screen
from hamroh.identity.engine.features import Features, compile_record
from hamroh.identity.engine.index import Index
from hamroh.identity.engine.prefilter import Weights, reportable, score_bounds
from hamroh.identity.engine.scoring import (
    DATE_MISSING,
    DATE_YEAR,
    DATE_YEAR_MONTH,
    REVIEW_THRESHOLD,
    REVIEW_THRESHOLD_OPEN_DATE,
    decide,
    score_pair,
)

SURNAMES = ["Ҷӯраев", "Джураев", "DZHURAEV", "Ҷӯразода", "Раҳимов", "Рахимов", "Каримов", "Шукуров"]
GIVENS = ["Ҷамшед", "Джамшед", "DZHAMSHED", "Фирӯз", "Фируз", "Раджаб", "Фаррухджно", "Фаррух"]
PATRONYMICS = ["", "", "Каримович", "Далерович", "Каримзода"]
FULL_NAMES = ["Шукурзод Раҷаб Далерзода", "Джамшед Джураев", "Ҷӯраев Фирӯз", "Раджаб"]
DATES = [
    "",
    "1990",
    "1990-05",
    "1990-07",
    "1991",
    "1990-05-17",
    "1990-05-18",
    "1991-05-17",
    "1990-06-17",
    "1990-05-07",
    "1990-07-05",
    "1980-05-17",
    "1990-12-17",
]


def _records(count: int, seed: int) -> list[PersonRecord]:
    rng = random.Random(seed)
    records = []
    for i in range(count):
        surname, given = rng.choice(SURNAMES), rng.choice(GIVENS)
        if rng.random() < 0.1:
            surname, given = given, surname  # the clerk swapped the fields
        full = ""
        if rng.random() < 0.15:
            surname = given = ""
            full = rng.choice(FULL_NAMES)
        elif rng.random() < 0.05:
            given = ""
        birth = rng.choice(DATES)
        records.append(
            PersonRecord(
                id=f"r{seed}-{i}",
                surname=surname,
                given_name=given,
                patronymic="" if full else rng.choice(PATRONYMICS),
                full_name=full,
                birth_date=BirthDate.parse(birth),
                sex=rng.choice(["", "M", "M", "F"]),
                nationality=rng.choice(["", "TJK", "TJK", "UZB"]),
                document_number=rng.choice(["", "", "A1234567", "a 123-4567", "A1234568"]),
            )
        )
    return records


def _all_pairs(people: list[Features], index: Index) -> tuple[np.ndarray, np.ndarray]:
    left = np.repeat(np.arange(len(people), dtype=np.int64), len(index))
    right = np.tile(np.arange(len(index), dtype=np.int64), len(people))
    return left, right


@pytest.mark.parametrize("seed", [1, 2])
def test_the_bound_is_never_below_the_score(seed: int) -> None:
    index = Index([compile_record(r) for r in _records(150, seed)])
    people = [compile_record(r) for r in _records(150, seed + 100)]
    left, right = _all_pairs(people, index)
    freq = index.frequencies
    bound, threshold = score_bounds(
        index.probe_columns(people),
        Weights(people, freq),
        index.columns(),
        left,
        right,
    )
    open_dates = {DATE_MISSING, DATE_YEAR, DATE_YEAR_MONTH}
    below = 0
    for k, (p, e) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        pair = score_pair(people[p], index.features[e], freq)
        assert bound[k] >= pair.score - 1e-9, (people[p], index.features[e])
        assert threshold[k] == (
            REVIEW_THRESHOLD_OPEN_DATE if pair.date in open_dates else REVIEW_THRESHOLD
        )
        # At the prior where this pair is just decided, the filter keeps it.
        prior = pair.score - threshold[k] - 1e-9
        assert decide(pair, prior) is not None
        assert reportable(
            index.probe_columns(people[p : p + 1]),
            Weights(people[p : p + 1], freq),
            index.columns(),
            np.zeros(1, dtype=np.int64),
            right[k : k + 1],
            prior,
        )[0]
        below += bound[k] < pair.score + 1e-9
    # Not a blanket "keep everything": for many pairs the bound is the score itself.
    assert below > len(left) // 20


def test_screening_gives_the_same_matches_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = _records(300, 3)
    people = _records(300, 4)
    filtered = list(screen(people, entries, workers=1))
    monkeypatch.setattr(linkage, "reportable", lambda *args: np.ones(len(args[3]), dtype=bool))
    unfiltered = list(screen(people, entries, workers=1))
    assert filtered == unfiltered and len(filtered) > 20


def test_the_prefilter_leaves_out_namesakes_with_another_birth_date() -> None:
    def record(id: str, surname: str, given: str, born: str) -> PersonRecord:
        return PersonRecord(
            id=id, surname=surname, given_name=given, birth_date=BirthDate.parse(born), sex="M"
        )

    entries = [
        record("same", "Рахимов", "Фируз", "1990-05-17"),
        record("namesake", "Рахимов", "Фируз", "1984-11-02"),
        record("same date", "Каримов", "Раджаб", "1990-05-17"),
    ]
    index = Index([compile_record(r) for r in entries])
    people = [compile_record(record("p", "Раҳимов", "Фирӯз", "1990-05-17"))]
    left = np.zeros(3, dtype=np.int64)
    right = np.arange(3, dtype=np.int64)
    prior = 20.0  # a list of a million entries
    keep = reportable(
        index.probe_columns(people),
        Weights(people, index.frequencies),
        index.columns(),
        left,
        right,
        prior,
    )
    assert keep.tolist() == [True, False, False]
    decisions = [decide(score_pair(people[0], e, index.frequencies), prior) for e in index.features]
    assert decisions == ["match", None, None]
