"""Leave out, before scoring, the candidate pairs that cannot reach a decision.

Blocking brings every namesake with a nearby birth date to the scorer: with common names
(Zipf-distributed, as in life) most candidate pairs of a large batch are namesakes whose
dates differ, and they score far below the review threshold. :func:`reportable` finds them
for a whole batch of pairs at once (numpy): each pair gets an upper bound of its score —
the person's :func:`~.scoring.names_bound` (what the best name agreement could add) plus
the birth date, sex, nationality and document weights that :func:`~.scoring.score_pair`
adds — and only pairs whose bound reaches the threshold :func:`~.scoring.decide` applies
to their date level are scored. The bound is never below the score, so the pairs left out
are exactly pairs that :func:`~.scoring.decide` would have turned down: the results do not
change, only the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .features import Features, NameField
from .scoring import (
    DATE_DIFFERENT,
    DATE_EQUAL,
    DATE_MISSING,
    DATE_PARTIAL_DIFFERENT,
    DATE_SWAPPED,
    DATE_TYPO,
    DATE_WEIGHTS,
    DATE_YEAR,
    DATE_YEAR_MONTH,
    DOCUMENT_DIFFERENT,
    DOCUMENT_EQUAL,
    GIVEN_SUFFIX_PENALTY,
    NATIONALITY_AGREE,
    NATIONALITY_DIFFERENT,
    REVIEW_THRESHOLD,
    REVIEW_THRESHOLD_OPEN_DATE,
    SEX_AGREE,
    SEX_DIFFERENT,
    SIMILAR_WEIGHTS,
    SURNAME_REFORM_PENALTY,
    SWAP_PENALTY,
    Frequencies,
    name_weights,
)

# Sums are added in another order than score_pair adds them; this keeps float rounding
# from ever leaving out a pair that lands exactly on a threshold.
_MARGIN = 1e-6

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_NAME_PARTS = 4  # per name field: numbers for its folded spelling, key, root and base


class Columns:
    """What :func:`~.scoring.score_pair` compares, one array per field, for many records.

    The parts of name fields are numbered through ``numbers`` (text -> number), shared by
    an index and its probes: equal numbers are equal texts. The index's records (``grow``)
    give new texts new numbers; a probe's text the index does not have gets -1, which is no
    index record's number. Sex, nationality and documents are kept as their string hashes
    (salted per process, so compared only within one process and those forked from it):
    two different values with one hash only make a pair look better than it is (it is then
    scored), never worse. Whether a value is there at all is kept apart, exactly.
    """

    __slots__ = (
        "day",
        "document",
        "given",
        "has_document",
        "has_given",
        "has_nationality",
        "has_patronymic",
        "has_sex",
        "has_surname",
        "month",
        "nationality",
        "reading",
        "sex",
        "surname",
        "year",
    )

    def __init__(
        self, features: Sequence[Features], numbers: dict[str, int], *, grow: bool
    ) -> None:
        n = len(features)
        # One row of numbers per distinct name field (fields are shared objects).
        rows: dict[NameField, int] = {}
        parts: list[tuple[int, int, int, int]] = []

        def number(text: str) -> int:
            found = numbers.get(text)
            if found is None:
                if not grow:
                    return -1
                found = numbers[text] = len(numbers)
            return found

        def row(field: NameField) -> int:
            found = rows.get(field)
            if found is None:
                found = rows[field] = len(parts)
                parts.append(
                    (
                        number(field.folded),
                        number(field.key),
                        number(field.root),
                        number(field.base),
                    )
                )
            return found

        def column(values: Iterable[object], dtype: type) -> npt.NDArray[Any]:
            return np.fromiter(values, dtype=dtype, count=n)

        surnames = column((row(f.surname) for f in features), np.int64)
        givens = column((row(f.given) for f in features), np.int64)
        table = np.array(parts, dtype=np.int64).reshape(len(parts), _NAME_PARTS)
        self.surname, self.given = table[surnames], table[givens]
        present = np.fromiter((bool(field.key) for field in rows), dtype=np.bool_, count=len(rows))
        self.has_surname, self.has_given = present[surnames], present[givens]
        self.has_patronymic = column((bool(f.patronymic.key) for f in features), np.bool_)
        self.reading = column((f.reading is not None for f in features), np.bool_)
        self.year = column((f.year for f in features), np.int32)
        self.month = column((f.month for f in features), np.int32)
        self.day = column((f.day for f in features), np.int32)
        self.sex = column((hash(f.sex) for f in features), np.int64)
        self.has_sex = column((bool(f.sex) for f in features), np.bool_)
        self.nationality = column((hash(f.nationality) for f in features), np.int64)
        self.has_nationality = column((bool(f.nationality) for f in features), np.bool_)
        self.document = column((hash(f.document) for f in features), np.int64)
        self.has_document = column((bool(f.document) for f in features), np.bool_)


class Weights:
    """Per probe record, the name weights :func:`~.scoring.score_pair` can give it (see
    :func:`~.scoring.name_weights`), one array each."""

    __slots__ = ("any", "crossed_given", "crossed_surname", "given", "patronymic", "surname")

    def __init__(self, features: Sequence[Features], freq: Frequencies) -> None:
        known: dict[tuple[object, ...], tuple[float, ...]] = {}  # namesakes are common
        weights = []
        for f in features:
            key = (f.surname, f.given, f.patronymic, f.reading)
            found = known.get(key)
            if found is None:
                found = known[key] = name_weights(f, freq)
            weights.append(found)
        table = np.array(weights, dtype=np.float64).reshape(len(features), 6)
        (
            self.surname,
            self.given,
            self.crossed_surname,
            self.crossed_given,
            self.patronymic,
            self.any,
        ) = table.T


def _agreement(
    has_a: npt.NDArray[np.bool_],
    a: IntArray,
    has_b: npt.NDArray[np.bool_],
    b: IntArray,
    agree: float,
    differ: float,
) -> FloatArray:
    return np.where(has_a & has_b, np.where(a == b, agree, differ), 0.0)


def _name_bound(
    a: IntArray,
    b: IntArray,
    present: npt.NDArray[np.bool_],
    full: FloatArray,
    penalty: float,
    similar: float,
    *,
    crossed: bool,
) -> FloatArray:
    """The most ``_name_weight(_name_level(a, b, crossed), full, ...)`` can be, from the
    numbered parts of the two fields (:class:`Columns`), level by level: nothing if one is
    missing, the agreeing weight if their spellings or keys are equal, the root weight if
    their roots (bases when crossed) are, else at most the weight of similar names."""
    spelled = (a[:, 0] == b[:, 0]) | (a[:, 1] == b[:, 1])
    rooted = a[:, 3] == b[:, 3] if crossed else a[:, 2] == b[:, 2]
    weight = np.where(spelled, full, np.where(rooted, np.maximum(full - penalty, 0.0), similar))
    return np.where(present, weight, 0.0)


def _names_bounds(
    people: Columns, weights: Weights, entries: Columns, left: IntArray, right: IntArray
) -> FloatArray:
    """For each pair, an upper bound of the name part of its score."""
    # Names: the straight and the crossed reading, as _score_names weighs them.
    a_sur, b_sur = people.surname[left], entries.surname[right]
    a_giv, b_giv = people.given[left], entries.given[right]
    has_a_sur, has_b_sur = people.has_surname[left], entries.has_surname[right]
    has_a_giv, has_b_giv = people.has_given[left], entries.has_given[right]
    surname_weights = SURNAME_REFORM_PENALTY, SIMILAR_WEIGHTS[0]
    given_weights = GIVEN_SUFFIX_PENALTY, SIMILAR_WEIGHTS[1]
    straight = _name_bound(
        a_sur, b_sur, has_a_sur & has_b_sur, weights.surname[left], *surname_weights, crossed=False
    ) + _name_bound(
        a_giv, b_giv, has_a_giv & has_b_giv, weights.given[left], *given_weights, crossed=False
    )
    crossed = (
        _name_bound(
            a_giv,
            b_sur,
            has_a_giv & has_b_sur,
            weights.crossed_surname[left],
            *surname_weights,
            crossed=True,
        )
        + _name_bound(
            a_sur,
            b_giv,
            has_a_sur & has_b_giv,
            weights.crossed_given[left],
            *given_weights,
            crossed=True,
        )
        - SWAP_PENALTY
    )
    names = np.maximum(straight, crossed) + np.where(
        entries.has_patronymic[right], weights.patronymic[left], 0.0
    )
    # A second reading of a one-field name on either side: the bound for any names.
    return np.where(people.reading[left] | entries.reading[right], weights.any[left], names)


def _other_bounds(
    people: Columns, entries: Columns, left: IntArray, right: IntArray
) -> tuple[FloatArray, FloatArray]:
    """For each pair, an upper bound of the rest of its score (birth date, sex,
    nationality, document) and the review threshold of its birth date level."""
    ya, yb = people.year[left], entries.year[right]
    ma, mb = people.month[left], entries.month[right]
    da, db = people.day[left], entries.day[right]
    same_year, same_month, same_day = ya == yb, ma == mb, da == db
    # date_level, level by level and in its order; a date one digit off is assumed for
    # every complete pair with two of three parts equal (its weight is the larger one).
    dated = (ya != 0) & (yb != 0)
    complete = dated & (da != 0) & (db != 0)
    months = (ma != 0) & (mb != 0)
    conditions = [
        ~dated,
        complete & same_year & same_month & same_day,
        complete & same_year & (ma == db) & (da == mb),
        complete
        & (same_year.astype(np.int8) + same_month.astype(np.int8) + same_day.astype(np.int8) == 2),
        complete,
        ~same_year,
        months & same_month,
        months,
    ]
    levels = [
        DATE_MISSING,
        DATE_EQUAL,
        DATE_SWAPPED,
        DATE_TYPO,
        DATE_DIFFERENT,
        DATE_PARTIAL_DIFFERENT,
        DATE_YEAR_MONTH,
        DATE_PARTIAL_DIFFERENT,
    ]
    date = np.select(conditions, [DATE_WEIGHTS[level] for level in levels], DATE_WEIGHTS[DATE_YEAR])
    # The levels decide() treats as open dates (missing, year, year and month).
    open_date = np.select(
        conditions, [True, False, False, False, False, False, True, False], default=True
    )
    score = (
        date
        + _agreement(
            people.has_sex[left],
            people.sex[left],
            entries.has_sex[right],
            entries.sex[right],
            SEX_AGREE,
            SEX_DIFFERENT,
        )
        + _agreement(
            people.has_nationality[left],
            people.nationality[left],
            entries.has_nationality[right],
            entries.nationality[right],
            NATIONALITY_AGREE,
            NATIONALITY_DIFFERENT,
        )
        + _agreement(
            people.has_document[left],
            people.document[left],
            entries.has_document[right],
            entries.document[right],
            DOCUMENT_EQUAL,
            DOCUMENT_DIFFERENT,
        )
    )
    threshold = np.where(open_date, REVIEW_THRESHOLD_OPEN_DATE, REVIEW_THRESHOLD)
    return score, threshold


def score_bounds(
    people: Columns,
    weights: Weights,
    entries: Columns,
    left: IntArray,
    right: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """For each pair (person ``left[k]``, entry ``right[k]``): an upper bound of
    ``score_pair(person, entry).score``, and the review threshold :func:`~.scoring.decide`
    applies to the pair (it depends on the birth date level, which is known exactly)."""
    others, threshold = _other_bounds(people, entries, left, right)
    return _names_bounds(people, weights, entries, left, right) + others, threshold


def reportable(
    people: Columns,
    weights: Weights,
    entries: Columns,
    left: IntArray,
    right: IntArray,
    prior: float,
) -> npt.NDArray[np.bool_]:
    """For each pair (person ``left[k]``, entry ``right[k]``): can it be a ``match`` or a
    ``review``? ``weights`` are the people's, ``prior`` the index's prior bits. False only
    where :func:`~.scoring.decide` of :func:`~.scoring.score_pair` would return None (a
    ``match`` needs more than a ``review`` at every date level)."""
    # First with the person's bound for any names (cheap), then pair by pair for the rest.
    others, threshold = _other_bounds(people, entries, left, right)
    keep = weights.any[left] + others - prior >= threshold - _MARGIN
    rest = np.flatnonzero(keep)
    names = _names_bounds(people, weights, entries, left[rest], right[rest])
    keep[rest] = names + others[rest] - prior >= threshold[rest] - _MARGIN
    return keep
