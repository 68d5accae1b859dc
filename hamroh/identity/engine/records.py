"""The engine's data contract: frozen dataclasses in, frozen dataclasses out.

Nothing here knows about CSV files or the database, so the registry can build records from
model rows and the command line from files, and both get the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Decision = Literal["match", "review"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A birth date known to the year, the month or the day (registries hold all three)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> BirthDate | None:
        """``"1990"``, ``"1990-05"`` or ``"1990-05-17"``; empty text is an unknown date.

        Raises ``ValueError`` with a short reason for anything else, so a file reader can
        name the line and field.
        """
        text = text.strip()
        if not text:
            return None
        found = _DATE.match(text)
        if found is None:
            raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(found.group(1))
        month = int(found.group(2)) if found.group(2) else None
        day = int(found.group(3)) if found.group(3) else None
        if not 1800 <= year <= 2200:
            raise ValueError("year out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError("month out of range")
        if day is not None and month is not None and not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            raise ValueError("day out of range")
        return cls(year, month, day)

    @property
    def complete(self) -> bool:
        return self.day is not None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person as one source wrote them. Any field but ``id`` may be empty.

    ``full_name`` is read only when surname, given name and patronymic are all empty; its
    order ("surname given" or "given surname") is worked out by the engine.
    """

    id: str
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    full_name: str = ""
    birth_date: BirthDate | None = None
    sex: str = ""  # "M", "F" or ""
    nationality: str = ""  # ISO 3166-1 alpha-3 or ""
    document_number: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One index entry that may be the person looked up, with the evidence for it.

    ``score`` is the evidence in bits (log2 likelihood ratio) beyond what the index size
    alone makes likely; ``decision`` and the thresholds behind it are in ``scoring.py``.
    """

    entry_id: str
    score: float
    decision: Decision
    reasons: str


@dataclass(frozen=True, slots=True)
class Match:
    """One (person, list entry) pair from batch screening; fields as in :class:`Candidate`."""

    person_id: str
    entry_id: str
    score: float
    decision: Decision
    reasons: str


@dataclass(frozen=True, slots=True)
class Cluster:
    """Records judged to be one person. ``cluster_id`` is the id of its first record."""

    cluster_id: str
    member_ids: tuple[str, ...]
