"""Script layer: every spelling of a name becomes one comparable "phonetic" key.

Tajik Cyrillic, Russian Cyrillic and the Latin schemes (Tajik passport, ICAO 9303, BGN/PCGN,
French-style Soviet) disagree on letters, not on sounds. We first bring Cyrillic to a
Latin spelling letter by letter, then rewrite every Latin digraph that the schemes use for
the same sound into one symbol, and finally merge the vowels Russian clerks reduce (о/а,
е/и) and collapse doubled letters. The result is deliberately coarse; the scoring layer
adds term frequencies and the patronymic, date and document evidence that tell namesakes
apart.

A hand-written ``str.translate`` table plus one compiled regular expression is used instead
of ICU transforms: ICU has no Tajik transform at all (we would write the rules ourselves
either way), PyICU must be compiled against the system libicu, and a translate table with
a per-token cache costs well under a microsecond per name (see ``docs/identity.md``).
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic (Tajik, Russian, a few Kazakh/Uzbek letters) to a Latin spelling. Lower case
# only: callers case-fold first.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "gh",
    "д": "d",
    "е": "e",
    "ё": "e",  # as ICAO 9303 writes it; Latin "yo" is read as e too (Ёқуб, EKUB, Yoqub)
    "ж": "zh",
    "з": "z",
    "и": "i",
    "ӣ": "i",
    "й": "y",
    "к": "k",
    "қ": "q",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ӯ": "u",
    "ф": "f",
    "х": "kh",
    "ҳ": "h",
    "ц": "ts",
    "ч": "ch",
    "ҷ": "j",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ү": "u",
    "ұ": "u",
    "ө": "o",
    "ә": "a",
    "ң": "n",
    "ў": "u",
}
CYRILLIC_TO_LATIN = str.maketrans(_CYRILLIC)
# Cyrillic straight to the phonetic alphabet below, so that "с"+"ҳ" is never read as the
# digraph "sh" (Исҳоқ, Iskhak).
_CYRILLIC_TO_PHONETIC = str.maketrans(
    {
        **_CYRILLIC,
        **{c: "S" for c in "шчщ"},
        **{c: "j" for c in "жҷ"},
        **{c: "h" for c in "хҳ"},
        "ғ": "g",
        "қ": "k",
    }
)
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff]")

# Latin digraphs that different schemes use for one sound. Order matters: longest first.
#   ш: sh (ICAO, BGN, Tajik), ch (French); ч: ch, tch (French) -> both become "S"
#   дж/ҷ/ж: dzh (ICAO), dj (French), j (Tajik), zh -> "j"
#   х/ҳ: kh, h, x (Uzbek Latin) -> "h";  ғ/г: gh, g -> "g";  қ/к: q, k, c -> "k"
#   у/ӯ: ou (French), u, w -> "u"
_DIGRAPHS = {
    "yo": "e",
    "shch": "S",
    "sch": "S",
    "tch": "S",
    "tsch": "S",
    "dzh": "j",
    "dsh": "j",
    "dj": "j",
    "sh": "S",
    "ch": "S",
    "zh": "j",
    "kh": "h",
    "gh": "g",
    "ou": "u",
    "ph": "f",
    "q": "k",
    "c": "k",
    "x": "h",
    "w": "u",
}
_DIGRAPH_RE = re.compile("|".join(sorted(_DIGRAPHS, key=len, reverse=True)))

# Vowel classes: Russian writes unstressed Tajik о as а (Абдулло/Абдулла) and е as и
# (Ҷамшед/Джамшид); й and ы are heard as и.
_VOWELS = str.maketrans({"o": "a", "e": "i", "y": "i"})
_NOT_LETTER = re.compile(r"[^a-zS]")
_REPEAT = re.compile(r"(.)\1+")

_CACHE: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower-case, turn Cyrillic into Latin, drop accents and everything but letters."""
    text = text.casefold().translate(CYRILLIC_TO_LATIN)
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return re.sub(r"[^a-z ]", "", text)


_SCRIPT_RUNS = re.compile("[\u0400-\u04ff]+|[^\u0400-\u04ff]+")


# ICAO 9303 writes the hard sign ъ as "ie" (Саъдулло -> SAIEDULLO, Ҷумъа -> DZHUMIEA);
# Tajik Latin drops it. Next to a vowel "ie" is that sign; between consonants it is и+е
# (ALIEV) and stays.
_ICAO_HARD_SIGN = re.compile("(?<=[aeiou])ie|ie(?=[aeiou])")


def _run_sounds(run: str) -> str:
    if _HAS_CYRILLIC.match(run):
        return run.casefold().replace("дж", "ж").translate(_CYRILLIC_TO_PHONETIC)
    text = _ICAO_HARD_SIGN.sub("", fold(run))
    return _DIGRAPH_RE.sub(lambda m: _DIGRAPHS[m.group(0)], text)


def sounds(token: str) -> str:
    """The sound sequence of one token before doubled letters are merged.

    Name endings are cut from this form (Алиев = ``aliiv`` -> root ``ali``); merging
    doubles first would glue the ending to the root (``aliv``).
    """
    key = _CACHE.get(token)
    if key is not None:
        return key
    if _HAS_CYRILLIC.search(token):
        # A typed word may mix scripts (a Latin "a" inside a Cyrillic name); each run is
        # read by its own script so that "с"+"ҳ" is never taken for the digraph "sh".
        runs = _SCRIPT_RUNS.findall(token)
        text = "".join(_run_sounds(run) for run in runs) if len(runs) > 1 else _run_sounds(token)
    else:
        text = _run_sounds(token)
    key = _NOT_LETTER.sub("", text.translate(_VOWELS))
    if len(_CACHE) < 2_000_000:
        _CACHE[token] = key
    return key


def merge_doubles(text: str) -> str:
    return _REPEAT.sub(r"\1", text)


_PHONETIC: dict[str, str] = {}


def phonetic(token: str) -> str:
    """The comparable key of one name token ("Ҷӯраев", "DZHURAEV", "Jouraev" -> "juraiv")."""
    key = _PHONETIC.get(token)
    if key is None:
        key = merge_doubles(sounds(token))
        if len(_PHONETIC) < 2_000_000:
            _PHONETIC[token] = key
    return key


_SPLIT = re.compile(r"[\s,;/]+")


def tokens(text: str) -> list[str]:
    """Split a name field into tokens; hyphens and apostrophes join, not split."""
    return [t for t in _SPLIT.split(text.strip()) if phonetic(t)]


def field_sounds(text: str) -> str:
    """The sounds of a whole name field: "Абдул Карим" and "Abdulkarim" are one name."""
    return sounds("".join(_SPLIT.split(text.strip())))


# Rule families used only to explain a decision: which spelling of a sound each side used.
_FAMILIES: list[tuple[str, tuple[str, ...]]] = [
    ("ҷ", ("ҷ", "дж", "dzh", "dj", "j", "ж", "zh")),
    ("ӯ", ("ӯ", "у", "ou", "ŭ", "u")),
    ("ҳ", ("ҳ", "х", "kh", "h", "x")),
    ("қ", ("қ", "к", "q", "k")),
    ("ғ", ("ғ", "г", "gh", "g")),
    ("ш", ("ш", "sh", "ch")),
    ("ӣ", ("ӣ", "и", "í", "ī", "i", "y")),
]
# Plain letter-for-letter transliteration is not worth a reviewer's attention.
_PLAIN = frozenset(
    {("и", "i"), ("у", "u"), ("к", "k"), ("г", "g"), ("х", "kh"), ("ш", "sh"), ("j", "dj")}
)
_VOWEL = re.compile("[aeiouyаеёиоуыэюяӣӯ]")


def _variant(word: str, options: tuple[str, ...]) -> str | None:
    for option in options:
        if option in word:
            return option
    return None


def spelling_differences(a: str, b: str) -> list[str]:
    """Human-readable list of the spelling rules that make ``a`` and ``b`` agree.

    ``spelling_differences("Ҷӯраев", "Джураев")`` -> ``["ҷ→дж", "ӯ→у"]``;
    ``spelling_differences("Абдулло", "Абдулла")`` -> ``["Russified vowel"]``.
    """
    a, b = a.casefold(), b.casefold()
    if a == b:
        return []
    out = []
    for _name, options in _FAMILIES:
        va, vb = _variant(a, options), _variant(b, options)
        if va and vb and va != vb and (va, vb) not in _PLAIN and (vb, va) not in _PLAIN:
            out.append(f"{va}→{vb}")
    if not out:
        cyrillic_a, cyrillic_b = bool(_HAS_CYRILLIC.search(a)), bool(_HAS_CYRILLIC.search(b))
        if cyrillic_a != cyrillic_b:
            out.append("transliteration")
        elif _VOWEL.sub("", a) == _VOWEL.sub("", b):
            out.append("Russified vowel")
        else:
            out.append("spelling")
    return out
