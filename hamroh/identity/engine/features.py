"""Compile a :class:`PersonRecord` once into the comparable pieces the scorer and the
blocking index read, so each pair comparison is a handful of string equalities.

Names repeat a lot (that is the problem this engine exists for), so every step is cached
by the text as written: a million records cost a few hundred thousand distinct look-ups.
"""

from __future__ import annotations

import re

from .names import (
    NameParts,
    given_root,
    name_root,
    other_reading,
    patronymic_root,
    split_full_name,
)
from .normalise import field_sounds, fold, merge_doubles
from .records import PersonRecord

_CACHE_LIMIT = 1_000_000
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_NOT_LETTER = re.compile(r"[\W\d_]")


class NameField:
    """One name field: its text, its spelling without case or punctuation, key and root."""

    __slots__ = ("base", "ending", "folded", "key", "latin", "root", "text")

    def __init__(
        self, text: str, folded: str, latin: str, key: str, root: str, base: str, ending: str
    ) -> None:
        self.text = text
        self.folded = folded  # case and punctuation gone, script kept
        self.latin = latin  # plain Latin letters, for counting typed letters that differ
        self.key = key
        self.root = root  # root for its own field (a given name keeps -зод: Шерзод)
        self.base = base  # root whatever the field, for swapped fields and blocking
        self.ending = ending

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        # Records compiled in another process come back through pickle (see ``_restored``).
        return _restored, (
            self.text,
            self.folded,
            self.latin,
            self.key,
            self.root,
            self.base,
            self.ending,
        )


_EMPTY = NameField("", "", "", "", "", "", "")
# Fields unpickled in this process, so that records compiled by worker processes share one
# object per distinct field (as records compiled here do through the caches below).
_restored_fields: dict[tuple[str, ...], NameField] = {("",) * 7: _EMPTY}


def _restored(*values: str) -> NameField:
    found = _restored_fields.get(values)
    if found is None:
        found = NameField(*values)
        if len(_restored_fields) < _CACHE_LIMIT:
            _restored_fields[values] = found
    return found


_surnames: dict[str, NameField] = {}
_givens: dict[str, NameField] = {}
_patronymics: dict[str, NameField] = {}
_full_names: dict[str, tuple[NameParts, NameParts | None]] = {}


def _field(text: str, cache: dict[str, NameField], role: str) -> NameField:
    if not text:
        return _EMPTY
    found = cache.get(text)
    if found is not None:
        return found
    raw = field_sounds(text)
    if not raw:
        return _EMPTY
    base, ending = name_root(raw)
    if role == "patronymic":
        root = base = patronymic_root(raw)
        ending = ""
    elif role == "given":
        root, ending = given_root(raw), ""
    else:
        root = base
    field = NameField(
        text,
        _NOT_LETTER.sub("", text.casefold()),
        fold(text).replace(" ", ""),
        merge_doubles(raw),
        root,
        base,
        ending,
    )
    if len(cache) < _CACHE_LIMIT:
        cache[text] = field
    return field


def _parts(record: PersonRecord) -> tuple[NameParts, NameParts | None]:
    if record.surname or record.given_name or record.patronymic or not record.full_name:
        return NameParts(record.surname, record.given_name, record.patronymic), None
    found = _full_names.get(record.full_name)
    if found is None:
        found = split_full_name(record.full_name), other_reading(record.full_name)
        if len(_full_names) < _CACHE_LIMIT:
            _full_names[record.full_name] = found
    return found


class Features:
    """Everything about one record the engine compares. Built by :func:`compile_record`."""

    __slots__ = (
        "day",
        "document",
        "given",
        "id",
        "month",
        "nationality",
        "patronymic",
        "reading",
        "sex",
        "surname",
        "year",
    )

    def __init__(
        self,
        id: str,
        surname: NameField,
        given: NameField,
        patronymic: NameField,
        year: int,
        month: int,
        day: int,
        sex: str,
        nationality: str,
        document: str,
        reading: tuple[NameField, NameField, NameField] | None = None,
    ) -> None:
        self.id = id
        # The other plausible reading of an ambiguous one-field name (surname, given,
        # patronymic), or None.
        self.reading = reading
        self.surname = surname
        self.given = given
        self.patronymic = patronymic
        # 0 means unknown: cheaper to compare than None and never a real value.
        self.year = year
        self.month = month
        self.day = day
        self.sex = sex
        self.nationality = nationality
        self.document = document

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Plain constructor arguments: much faster to unpickle than the default slot state.
        return Features, (
            self.id,
            self.surname,
            self.given,
            self.patronymic,
            self.year,
            self.month,
            self.day,
            self.sex,
            self.nationality,
            self.document,
            self.reading,
        )


def compile_record(record: PersonRecord) -> Features:
    parts, other = _parts(record)
    reading = None
    if other is not None and other != parts:
        reading = (
            _field(other.surname, _surnames, "surname"),
            _field(other.given_name, _givens, "given"),
            _field(other.patronymic, _patronymics, "patronymic"),
        )
    date = record.birth_date
    if date is None:
        year = month = day = 0
    else:
        year, month, day = date.year, date.month or 0, date.day or 0
    document = record.document_number
    if document:
        # Documents are typed with spaces, dashes and lower case: "AB 123-456" = "ab123456".
        document = _NOT_ALNUM.sub("", document.upper())
    return Features(
        record.id,
        _field(parts.surname, _surnames, "surname"),
        _field(parts.given_name, _givens, "given"),
        _field(parts.patronymic, _patronymics, "patronymic"),
        year,
        month,
        day,
        record.sex.upper(),
        record.nationality.upper(),
        document,
        reading,
    )
