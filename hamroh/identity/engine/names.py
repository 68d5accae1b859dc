"""Name structure: which token is the surname, the given name and the patronymic, and the
root each shares with its other forms.

Works on the phonetic keys from :mod:`normalise`, so one rule covers every script: in keys
о is written ``a``, е is ``i`` and ш/ч are ``S`` (Каримович -> ``karimaviS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalise import merge_doubles, sounds, tokens

# Surname endings, longest first, on the sound form before doubles merge (see
# normalise.sounds). Russian-era forms and the forms the 2016 naming law allows (-зода,
# -зод, -ӣ, -иён, -фар, -пур) share the root: Каримов, Каримова, Каримзода, Каримӣ and
# Karimiyon are all ``karim``. The ending is kept so the scorer can tell "same surname"
# from "same root after the reform". Each ending has the shortest root it may leave:
# Шоев/Шозода have a two-letter root, while "Али" must not lose its "и".
SURNAME_ENDINGS: tuple[tuple[str, str, int], ...] = (
    ("zada", "-зода", 2),
    ("zad", "-зод", 2),
    ("iian", "-иён", 2),  # Каримиён, Karimiyon
    ("iin", "-иён", 3),  # ICAO writes ё as e: KARIMIEN
    ("ian", "-иён", 2),
    ("ava", "-ова", 2),
    ("iva", "-ева", 2),
    ("av", "-ов", 2),
    ("iv", "-ев", 2),
    ("far", "-фар", 3),
    ("pur", "-пур", 3),
    ("i", "-ӣ", 3),
)

# Patronymic endings: Russian -ович/-евич/-овна/-евна/-ич/-ична and the Tajik -зода/-ӣ
# forms; what is left is the father's given name.
PATRONYMIC_ENDINGS: tuple[str, ...] = (
    "aviSna",
    "iviSna",
    "aviS",
    "iviS",
    "avna",
    "ivna",
    "iSna",
    "zada",
    "zad",
    "iS",
    "i",
)
_RUSSIAN_PATRONYMIC = ("aviS", "iviS", "avna", "ivna", "iSna")
# Words that introduce a father's name instead of a suffix ("ибни Карим", "Karim o'g'li").
_PATRONYMIC_MARKERS = frozenset({"ibni", "binti", "ibn", "bint", "ugli", "uli", "kizi", "kisi"})

# "-ҷон" (dear) is added to given names at will: Фируз, Фирӯзҷон, Firuzjon are one name.
_GIVEN_ENDING = "jan"


def _without_jon(sounds: str) -> str:
    if sounds.endswith(_GIVEN_ENDING) and len(sounds) > len(_GIVEN_ENDING) + 2:
        return sounds[: -len(_GIVEN_ENDING)]
    return sounds


def given_root(sounds: str) -> str:
    """``"firuzjan"`` -> ``"firuz"``. Surname endings stay: Шерзод is not "Шер" + -зод."""
    return merge_doubles(_without_jon(sounds))


_ROOTS: dict[str, tuple[str, str]] = {}


def name_root(sounds: str) -> tuple[str, str]:
    """Cached :func:`_name_root`: names repeat, and this runs for every name field."""
    found = _ROOTS.get(sounds)
    if found is None:
        found = _name_root(sounds)
        if len(_ROOTS) < 1_000_000:
            _ROOTS[sounds] = found
    return found


def _name_root(sounds: str) -> tuple[str, str]:
    """Root and surname ending of a name, from its sound form, whatever field it is in.

    ``"karimzada"`` -> ``("karim", "-зода")``, ``"gulamjanava"`` -> ``("gulam", "-ова")``.
    Used for surnames, and for every name when fields may have been swapped, so a given
    name typed into the surname field still meets itself.
    """
    sounds = _without_jon(sounds)
    ending = ""
    for suffix, label, shortest in SURNAME_ENDINGS:
        if sounds.endswith(suffix) and len(sounds) - len(suffix) >= shortest:
            sounds, ending = sounds[: -len(suffix)], label
            break
    return merge_doubles(_without_jon(sounds)), ending


def patronymic_root(sounds: str) -> str:
    for ending in PATRONYMIC_ENDINGS:
        if sounds.endswith(ending) and len(sounds) - len(ending) >= 2:
            return given_root(sounds[: -len(ending)])
    return given_root(sounds)


def _looks_like_surname(key: str) -> bool:
    # -ӣ and -зод also end given names (Алӣ, Шерзод, Шаҳзод), so they prove nothing.
    return name_root(key)[1] not in ("", "-ӣ", "-зод")


def _looks_like_patronymic(key: str) -> bool:
    return key.endswith(_RUSSIAN_PATRONYMIC)


@dataclass(frozen=True, slots=True)
class NameParts:
    """Surname, given name and patronymic as written (raw text, any script)."""

    surname: str
    given_name: str
    patronymic: str


def split_full_name(full_name: str) -> NameParts:
    """Guess the roles of the words of a one-field name, in either order.

    The patronymic is found by its ending (or a marker word such as "ибни"); of the two
    words left, the one with a surname ending is the surname, and if neither or both have
    one the official "surname first" order is assumed. The scorer also tries the swapped
    reading, so a wrong guess costs little.
    """
    words = tokens(full_name)
    patronymic: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(words):
        key = sounds(words[i])
        if key in _PATRONYMIC_MARKERS and i + 1 < len(words):
            patronymic.append(words[i + 1])
            i += 2
            continue
        if _looks_like_patronymic(key) and not patronymic:
            patronymic.append(words[i])
        else:
            rest.append(words[i])
        i += 1
    if not rest:
        return NameParts("", "", " ".join(patronymic))
    if len(rest) == 1:
        # A single word is more often a given name, but a surname-looking word is a surname.
        word = rest[0]
        if _looks_like_surname(sounds(word)):
            return NameParts(word, "", " ".join(patronymic))
        return NameParts("", word, " ".join(patronymic))
    first, last = sounds(rest[0]), sounds(rest[-1])
    if _looks_like_surname(first):
        surname, given = rest[0], rest[1:]
    elif _looks_like_surname(last) or (
        # "Ҷамшед Каримзода Раҳимӣ": a -зода word in the middle is the Tajik patronymic.
        len(rest) == 3 and not patronymic and name_root(sounds(rest[1]))[1] == "-зода"
    ):
        # "Jamshed Karimovich Rahimov" / "Jamshed Rahimov": given name first.
        surname, given = rest[-1], rest[:-1]
    else:
        surname, given = rest[0], rest[1:]
    if surname is rest[-1] and not patronymic and len(given) >= 2:
        return NameParts(surname, given[0], " ".join(given[1:]))
    if not patronymic and len(given) >= 2:
        # "Раҳимов Ҷамшед Карим": a third word with no ending is the Tajik patronymic form.
        patronymic, given = given[-1:], given[:-1]
    return NameParts(surname, " ".join(given), " ".join(patronymic))


def other_reading(full_name: str) -> NameParts | None:
    """For three words with no Russian patronymic ending, the order :func:`split_full_name`
    did not choose ("surname given patronymic" vs "given patronymic surname"): Tajik
    patronymics (-зода) and surnames (-зода, -зод) share endings, so both are plausible."""
    words = tokens(full_name)
    if len(words) != 3 or any(_looks_like_patronymic(sounds(w)) for w in words):
        return None
    if any(sounds(w) in _PATRONYMIC_MARKERS for w in words):
        return None
    first = NameParts(words[0], words[1], words[2])
    last = NameParts(words[2], words[0], words[1])
    return last if split_full_name(full_name) == first else first
