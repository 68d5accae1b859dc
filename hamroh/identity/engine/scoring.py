"""Pairwise scoring: evidence for "same person" in bits (log2 likelihood ratios).

Each field comparison lands on a level (equal, same sound, same root, similar, different,
missing) and each level adds a weight, Fellegi-Sunter style. Name weights come from term
frequencies: agreeing on a name that one record in twenty carries (Муҳаммад) is worth
log2(0.95 / 0.05) ≈ 4 bits, a rare name up to 13. Birth dates, patronymics, sex,
nationality and document numbers add fixed weights chosen on labelled data
(``bench/identity``) and kept here, in one place, with the thresholds.

Scoring is split from explaining: :func:`score_pair` is called for every candidate pair and
only returns numbers and level codes; :func:`explain` turns the levels of the few pairs
that are reported into words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import cache

from rapidfuzz.distance import OSA

from .features import Features, NameField
from .normalise import spelling_differences
from .records import Decision

# Weights are log2(m / u): m the chance of the level for two records of one person, u for
# two records of different people. Where a weight is not derived from data below (term
# frequencies), m and u are round estimates, checked on the labelled benchmark data.

# Name levels.
MISSING, EQUAL, SOUND, ROOT, SIMILAR, DIFFERENT = range(6)

_M_NAME = 0.9  # share of true pairs whose names agree after normalisation
_NAME_WEIGHT_MIN, _NAME_WEIGHT_MAX = 1.0, 16.0
_PRIOR_SHARE = 1 / 300  # frequency assumed for a root before data says otherwise
_PRIOR_RECORDS = 2_000  # how much data it takes to overrule that assumption

SURNAME_REFORM_PENALTY = 3.0  # Каримов ~ Каримзода: same family, weaker than identical
GIVEN_SUFFIX_PENALTY = 1.0  # Фируз ~ Фирӯзҷон
# One or two letters apart: a typo (m ≈ 0.03) or another real name (Сафар/Зафар,
# Назар/Назир: u about as high), so close to no evidence either way.
SIMILAR_WEIGHTS = (1.5, 0.5)  # surname, given name
SURNAME_DIFFERENT = -8.0  # m ≈ 0.005: a surname changes (marriage, two mistakes at once)
GIVEN_DIFFERENT = -20.0  # a twin shares surname, patronymic and birthday: only this differs
SWAP_PENALTY = 1.0

PATRONYMIC_CAP = 10.0
PATRONYMIC_SIMILAR = 2.0
PATRONYMIC_DIFFERENT = -10.0  # another father: different people

# Birth date levels and weights (u from ~16,000 possible dates in the working-age range).
(
    DATE_MISSING,
    DATE_EQUAL,
    DATE_SWAPPED,
    DATE_TYPO,
    DATE_YEAR,
    DATE_YEAR_MONTH,
    DATE_DIFFERENT,
    DATE_PARTIAL_DIFFERENT,
) = range(8)
DATE_WEIGHTS = {
    DATE_MISSING: 0.0,
    DATE_EQUAL: 13.5,  # m 0.9, u 1/16,000
    DATE_SWAPPED: 9.0,  # m 0.015, u 1/40,000
    DATE_TYPO: 3.5,  # m 0.02, u 0.002: about 30 dates are one digit away from any date
    DATE_YEAR: 5.4,  # u 1/45
    DATE_YEAR_MONTH: 9.0,  # u 1/540
    DATE_DIFFERENT: -8.0,  # two complete dates that no single slip explains: namesakes
    DATE_PARTIAL_DIFFERENT: -6.0,
}

SEX_AGREE, SEX_DIFFERENT = 0.7, -4.3
NATIONALITY_AGREE, NATIONALITY_DIFFERENT = 0.1, -1.7
# Passports are renewed, so a different number is only a faint hint of a different person.
DOCUMENT_EQUAL, DOCUMENT_DIFFERENT = 20.0, -1.7

# Decisions are taken on the score minus log2 of the index size: the prior odds that one
# given entry is the person fall as the list grows, and so does the value of agreeing on a
# common name. Thresholds are in those bits. A small list counts as 10,000 entries so a
# ten-name list does not make every namesake a match.
MIN_INDEX_SIZE = 10_000
MATCH_THRESHOLD = 5.0
# Within one file, duplicates are far more common than listed people in a screened
# population (about one record in three has a twin record against one person in ten on a
# list), so the prior odds per pair are ~2.5 bits better; joins in deduplication need less.
DEDUPE_MATCH_THRESHOLD = 2.0
REVIEW_THRESHOLD = -2.0
# With a missing or partial birth date nothing but the names, patronymic, sex and
# documents can tell namesakes apart: a lower bar keeps true pairs in front of a reviewer.
REVIEW_THRESHOLD_OPEN_DATE = -6.0


class Frequencies:
    """How common each surname, given-name and patronymic root is among indexed records."""

    def __init__(self, records: Iterable[Features] = ()) -> None:
        self.prior = prior_bits(0)
        self.surnames: Counter[str] = Counter()
        self.givens: Counter[str] = Counter()
        self.patronymics: Counter[str] = Counter()
        self.total = 0
        self._weights: dict[tuple[int, str], float] = {}
        self.add(records)

    def add(self, records: Iterable[Features]) -> None:
        surnames, givens, patronymics = self.surnames, self.givens, self.patronymics
        n = 0
        for f in records:
            n += 1
            if f.surname.root:
                surnames[f.surname.root] += 1
            if f.given.root:
                givens[f.given.root] += 1
            if f.patronymic.root:
                patronymics[f.patronymic.root] += 1
        self.total += n
        self.prior = prior_bits(self.total)
        self._weights.clear()

    def weight(self, kind: int, root: str) -> float:
        """Bits for agreeing on ``root`` (kind 0 surname, 1 given name, 2 patronymic)."""
        cached = self._weights.get((kind, root))
        if cached is not None:
            return cached
        counter = (self.surnames, self.givens, self.patronymics)[kind]
        # Blend observed share with a prior so a ten-record list does not make every name
        # look rare (and every namesake a match).
        share = (counter[root] + _PRIOR_SHARE * _PRIOR_RECORDS) / (self.total + _PRIOR_RECORDS)
        bits = math.log2(_M_NAME / share)
        bits = min(_NAME_WEIGHT_MAX, max(_NAME_WEIGHT_MIN, bits))
        self._weights[(kind, root)] = bits
        return bits


def _close(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    limit = 2 if shorter >= 6 else 1
    return OSA.distance(a, b, score_cutoff=limit) <= limit


def _similar(a: NameField, b: NameField) -> bool:
    """One or two letters apart, by sound (a mistyped vowel) or as typed (a Latin "u" hit
    for "h" breaks the digraph "sh", which only the typed letters show), or one name is
    the other with a mangled ending (Фаррухҷно for Фаррухҷон)."""
    if _close(a.root, b.root) or _close(a.latin, b.latin):
        return True
    shorter, longer = (a.root, b.root) if len(a.root) <= len(b.root) else (b.root, a.root)
    return len(shorter) >= 5 and longer.startswith(shorter)


def _name_level(a: NameField, b: NameField, crossed: bool = False) -> int:
    if not a.key or not b.key:
        return MISSING
    if a.folded == b.folded:
        return EQUAL
    if a.key == b.key:
        return SOUND
    if (a.base == b.base) if crossed else (a.root == b.root):
        return ROOT
    if _similar(a, b):
        return SIMILAR
    return DIFFERENT


def _name_weight(
    level: int, full: float, different: float, root_penalty: float, kind: int
) -> float:
    if level in (EQUAL, SOUND):
        return full
    if level == ROOT:
        return max(0.0, full - root_penalty)
    if level == SIMILAR:
        return SIMILAR_WEIGHTS[kind]
    if level == DIFFERENT:
        return different
    return 0.0


@cache  # a few thousand distinct pairs of years, months and days; asked millions of times
def _one_digit_apart(a: int, b: int) -> bool:
    sa, sb = str(a), str(b)
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def date_level(a: Features, b: Features) -> int:
    if not a.year or not b.year:
        return DATE_MISSING
    if a.day and b.day:
        if a.year == b.year and a.month == b.month and a.day == b.day:
            return DATE_EQUAL
        if a.year == b.year and a.month == b.day and a.day == b.month:
            return DATE_SWAPPED
        same = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
        if same == 2 and (
            _one_digit_apart(a.year, b.year)
            if a.year != b.year
            else _one_digit_apart(a.month, b.month)
            if a.month != b.month
            else _one_digit_apart(a.day + 100, b.day + 100)
        ):
            return DATE_TYPO
        return DATE_DIFFERENT
    if a.year != b.year:
        return DATE_PARTIAL_DIFFERENT
    if a.month and b.month:
        return DATE_YEAR_MONTH if a.month == b.month else DATE_PARTIAL_DIFFERENT
    return DATE_YEAR


class PairScore:
    """Total score and the level of every comparison, for :func:`explain`."""

    __slots__ = (
        "a_names",
        "b_names",
        "date",
        "document",
        "given",
        "patronymic",
        "score",
        "surname",
        "swapped",
    )

    def __init__(
        self,
        score: float,
        swapped: bool,
        surname: int,
        given: int,
        patronymic: int,
        date: int,
        document: bool,
        a_names: Names,
        b_names: Names,
    ) -> None:
        self.score = score
        self.a_names = a_names  # the readings of both sides that were scored
        self.b_names = b_names
        self.document = document  # document numbers equal
        self.swapped = swapped
        self.surname = surname
        self.given = given
        self.patronymic = patronymic
        self.date = date


Names = tuple[NameField, NameField, NameField]  # surname, given name, patronymic


def _score_names(a: Names, b: Names, freq: Frequencies) -> tuple[float, bool, int, int, int]:
    """Weight of the name fields of one reading of ``a`` against ``b``, trying the crossed
    reading (surname <-> given name) too: (weight, crossed, surname, given, patronymic)."""
    a_sur, a_giv, a_pat = a
    b_sur, b_giv, b_pat = b
    s_level = _name_level(a_sur, b_sur)
    g_level = _name_level(a_giv, b_giv)
    names = _name_weight(
        s_level, freq.weight(0, a_sur.root), SURNAME_DIFFERENT, SURNAME_REFORM_PENALTY, 0
    ) + _name_weight(g_level, freq.weight(1, a_giv.root), GIVEN_DIFFERENT, GIVEN_SUFFIX_PENALTY, 1)
    swapped = False
    if s_level >= SIMILAR or g_level >= SIMILAR:
        # A clerk may have put the given name in the surname field (or the whole name in
        # the wrong order): read ``a`` the other way round and keep the better reading.
        # Roots and frequencies come from the role-free ``base``, and the rarer-looking
        # of the two roles is not trusted: the lower weight is used.
        xs_level = _name_level(a_giv, b_sur, crossed=True)
        xg_level = _name_level(a_sur, b_giv, crossed=True)
        if xs_level not in (MISSING, DIFFERENT) or xg_level not in (MISSING, DIFFERENT):
            sur, giv = a_giv.base, a_sur.base
            crossed = (
                _name_weight(
                    xs_level,
                    min(freq.weight(0, sur), freq.weight(1, sur)),
                    SURNAME_DIFFERENT,
                    SURNAME_REFORM_PENALTY,
                    0,
                )
                + _name_weight(
                    xg_level,
                    min(freq.weight(0, giv), freq.weight(1, giv)),
                    GIVEN_DIFFERENT,
                    GIVEN_SUFFIX_PENALTY,
                    1,
                )
                - SWAP_PENALTY
            )
            if crossed > names:
                names, swapped, s_level, g_level = crossed, True, xs_level, xg_level

    p_level = _name_level(a_pat, b_pat)
    if p_level in (ROOT, EQUAL, SOUND):
        names += min(PATRONYMIC_CAP, freq.weight(2, a_pat.root))
    elif p_level == SIMILAR:
        names += PATRONYMIC_SIMILAR
    elif p_level == DIFFERENT:
        names += PATRONYMIC_DIFFERENT
    return names, swapped, s_level, g_level, p_level


def _largest_weight(field: NameField, full: float, kind: int) -> float:
    """The most :func:`_name_weight` can give a field of ``a`` whose agreeing weight is
    ``full``, whatever the other record's field: nothing if ``a`` has no such field (the
    level is then ``MISSING``), else the best of agreeing, a shared root (``full`` less a
    penalty, at least 0), similar letters and missing on the other side (0)."""
    if not field.key:
        return 0.0
    return max(full, SIMILAR_WEIGHTS[kind], 0.0)


def _patronymic_bound(field: NameField, freq: Frequencies) -> float:
    """The most a patronymic of ``a`` can add in :func:`_score_names` (0 when ``a`` has
    none: the level is then ``MISSING``)."""
    if not field.key:
        return 0.0
    return max(min(PATRONYMIC_CAP, freq.weight(2, field.root)), PATRONYMIC_SIMILAR, 0.0)


def _reading_weights(a: Names, freq: Frequencies) -> tuple[float, float, float, float, float]:
    """The agreeing weights :func:`_score_names` gives one reading ``a``: surname, given
    name, the two crossed (given name read as surname, surname as given name), and the
    most its patronymic can add. They come from ``a``'s roots only."""
    a_sur, a_giv, a_pat = a
    weight = freq.weight
    return (
        weight(0, a_sur.root),
        weight(1, a_giv.root),
        min(weight(0, a_giv.base), weight(1, a_giv.base)),
        min(weight(0, a_sur.base), weight(1, a_sur.base)),
        _patronymic_bound(a_pat, freq),
    )


def _reading_bound(a: Names, freq: Frequencies) -> float:
    """The most :func:`_score_names` can give the reading ``a`` against any other names:
    every level's weight is at most the largest one, straight or crossed."""
    a_sur, a_giv, _a_pat = a
    surname, given, crossed_surname, crossed_given, patronymic = _reading_weights(a, freq)
    straight = _largest_weight(a_sur, surname, 0) + _largest_weight(a_giv, given, 1)
    crossed = (
        _largest_weight(a_giv, crossed_surname, 0)
        + _largest_weight(a_sur, crossed_given, 1)
        - SWAP_PENALTY
    )
    return max(straight, crossed) + patronymic


def names_bound(a: Features, freq: Frequencies) -> float:
    """An upper bound of the name part of ``score_pair(a, b, freq)`` for every ``b``.

    :func:`score_pair` keeps the best of ``a``'s names (or ``a.reading``) against ``b``'s
    names (or ``b.reading``), and every name weight it adds comes from ``a``'s roots, so
    the bound of each of ``a``'s readings covers all of them."""
    bound = _reading_bound((a.surname, a.given, a.patronymic), freq)
    if a.reading is not None:
        bound = max(bound, _reading_bound(a.reading, freq))
    return bound


def name_weights(a: Features, freq: Frequencies) -> tuple[float, ...]:
    """What batch screening needs to bound the name part of ``score_pair(a, b)`` pair by
    pair (``prefilter``): the agreeing weights of ``a``'s own names (surname, given name,
    crossed surname, crossed given name, the patronymic's most), and :func:`names_bound`
    for the pairs where one side has a second reading."""
    return (*_reading_weights((a.surname, a.given, a.patronymic), freq), names_bound(a, freq))


NamesCache = dict[tuple[NameField, ...], tuple[float, bool, int, int, int]]
"""Name weights already worked out, by the six name fields of a pair (see :func:`score_pair`)."""
NAMES_CACHE_LIMIT = 1_000_000  # about 300 MB


def score_pair(
    a: Features, b: Features, freq: Frequencies, names_cache: NamesCache | None = None
) -> PairScore:
    """Evidence that ``a`` and ``b`` are one person, trying both name orders and, for a
    one-field name whose word roles are ambiguous, both readings of it.

    ``names_cache`` (one per ``freq``) keeps the weight of the names of each pair of name
    fields met: in batch screening namesakes meet the same namesakes over and over. Name
    fields are compiled once per distinct text and are keys by identity, so the cache gives
    exactly what working the weight out again would."""
    a_names: Names = (a.surname, a.given, a.patronymic)
    b_names: Names = (b.surname, b.given, b.patronymic)
    if names_cache is None:
        best = _score_names(a_names, b_names, freq)
    else:
        key = a_names + b_names
        found = names_cache.get(key)
        if found is None:
            found = _score_names(a_names, b_names, freq)
            if len(names_cache) < NAMES_CACHE_LIMIT:
                names_cache[key] = found
        best = found
    if (a.reading or b.reading) and (
        best[2] >= SIMILAR or best[3] >= SIMILAR or best[4] >= SIMILAR
    ):
        for other_a, other_b in ((a.reading, b_names), (a_names, b.reading)):
            if other_a is not None and other_b is not None:
                tried = _score_names(other_a, other_b, freq)
                if tried[0] > best[0]:
                    best, a_names, b_names = tried, other_a, other_b
    names, swapped, s_level, g_level, p_level = best

    d_level = date_level(a, b)
    score = names + DATE_WEIGHTS[d_level]
    if a.sex and b.sex:
        score += SEX_AGREE if a.sex == b.sex else SEX_DIFFERENT
    if a.nationality and b.nationality:
        score += NATIONALITY_AGREE if a.nationality == b.nationality else NATIONALITY_DIFFERENT
    same_document = False
    if a.document and b.document:
        same_document = a.document == b.document
        score += DOCUMENT_EQUAL if same_document else DOCUMENT_DIFFERENT
    return PairScore(
        score, swapped, s_level, g_level, p_level, d_level, same_document, a_names, b_names
    )


_OPEN_DATES = frozenset({DATE_MISSING, DATE_YEAR, DATE_YEAR_MONTH})


def prior_bits(index_size: int) -> float:
    """Bits subtracted from every score before deciding, for an index of this size."""
    return math.log2(max(index_size, MIN_INDEX_SIZE))


def decide(pair: PairScore, prior: float) -> Decision | None:
    """``match``, ``review`` or nothing, for a pair scored against an index whose
    :func:`prior_bits` is ``prior``."""
    evidence = pair.score - prior
    if pair.date in _OPEN_DATES:
        # Without two complete birth dates only an equal document makes a pair certain:
        # names and patronymic alone are shared by namesakes and brothers.
        if evidence >= MATCH_THRESHOLD and pair.document:
            return "match"
        return "review" if evidence >= REVIEW_THRESHOLD_OPEN_DATE else None
    if evidence >= MATCH_THRESHOLD:
        return "match"
    return "review" if evidence >= REVIEW_THRESHOLD else None


def _name_reason(label: str, level: int, a: NameField, b: NameField, common: bool) -> str:
    if level == MISSING:
        return f"{label} missing on one side"
    note = " (common)" if common else ""
    if level == EQUAL:
        return f"{label} equal{note}"
    if level == SOUND:
        rules = spelling_differences(a.text, b.text)
        return f"{label} agrees via {', '.join(rules)}{note}" if rules else f"{label} agrees"
    if level == ROOT:
        if a.ending != b.ending:
            left, right = a.ending or "no ending", b.ending or "no ending"
            return f"{label} root agrees ({left} ↔ {right}){note}"
        return f"{label} root agrees{note}"
    if level == SIMILAR:
        return f"{label} similar (one or two letters differ)"
    return f"{label} differs"


_DATE_REASONS = {
    DATE_MISSING: "birth date missing on one side",
    DATE_EQUAL: "birth date equal",
    DATE_SWAPPED: "birth date day/month swapped",
    DATE_TYPO: "birth date one digit differs",
    DATE_YEAR: "birth year agrees (other date partial)",
    DATE_YEAR_MONTH: "birth year and month agree (other date partial)",
    DATE_DIFFERENT: "birth dates differ",
    DATE_PARTIAL_DIFFERENT: "birth years or months differ",
}


def explain(a: Features, b: Features, pair: PairScore, freq: Frequencies) -> str:
    """Short reviewer-facing reasons: which rules made the records agree or disagree.

    Names themselves are never repeated here (reasons end up in exports and logs); only
    the rules are ("surname root agrees (-ов ↔ -зода)", "given name agrees via ҷ→дж").
    """
    a_surname, a_given, a_patronymic = pair.a_names
    b_surname, b_given, b_patronymic = pair.b_names
    if pair.swapped:
        a_surname, a_given = a_given, a_surname
    reasons = []
    if pair.swapped:
        reasons.append("surname and given name swapped")
    reasons.append(
        _name_reason(
            "surname", pair.surname, a_surname, b_surname, freq.weight(0, a_surname.base) < 6
        )
    )
    reasons.append(
        _name_reason("given name", pair.given, a_given, b_given, freq.weight(1, a_given.root) < 6)
    )
    if pair.patronymic != MISSING:
        reasons.append(
            _name_reason("patronymic", pair.patronymic, a_patronymic, b_patronymic, False)
        )
    reasons.append(_DATE_REASONS[pair.date])
    if a.sex and b.sex and a.sex != b.sex:
        reasons.append("sex differs")
    if a.nationality and b.nationality and a.nationality != b.nationality:
        reasons.append("nationality differs")
    if a.document and b.document:
        reasons.append(
            "document number equal" if a.document == b.document else "document number differs"
        )
    return "; ".join(reasons)
