"""Labelled synthetic people for the identity benchmark.

Every record carries an extra ``truth_id`` column (the person it really is); the person CSV
contract ignores extra columns, so the same files feed ``hamroh screen`` / ``hamroh dedupe``
and the scorer in ``run.py``.

What it models, with the rates as constants below:

* Tajik name frequencies: a Zipf-like head (Муҳаммад, Фирӯз, Ҷамшед; Раҳимов, Каримов …)
  plus a long tail of compound names (Шамсиддин, Нурулло …), so namesakes are common;
* surnames built from a root and an ending: -ов/-ев (-ова/-ева for women) or, after the
  2016 law, -зода/-зод/-ӣ/-иён; one person may appear under both;
* writing systems: Tajik Cyrillic, Russian Cyrillic (ҷ→дж …, Russified vowels), the
  Tajik-passport Latin, ICAO 9303, BGN/PCGN and French-style Soviet Latin, each applied by
  its own table written here from the standard (not the engine's tables);
* name structure: split fields or one ``full_name`` in either order, patronymic present or
  absent (Russian -ович/-овна or the Tajik form), surname/given swapped by a clerk, -ҷон
  added, one-letter typos, stray punctuation and case;
* birth dates exact, year only, year-month, day/month swapped, one digit mistyped, missing;
* sex, nationality, document numbers (renewed passports get a new number);
* hard negatives: namesakes, and relatives (twins, brothers) who share surname,
  patronymic and sometimes birth date.

Usage::

    python bench/identity/generate.py screen --size 100000 --out bench/out/
    python bench/identity/generate.py dedupe --size 100000 --out bench/out/
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from pathlib import Path

# --- name pools (Tajik Cyrillic). Order = rough frequency rank. ---------------------------

MALE_GIVEN = [
    "Муҳаммад",
    "Фирӯз",
    "Ҷамшед",
    "Алишер",
    "Фаррух",
    "Умед",
    "Баҳодур",
    "Шаҳзод",
    "Исмоил",
    "Рустам",
    "Далер",
    "Сорбон",
    "Комрон",
    "Беҳрӯз",
    "Абдулло",
    "Шерзод",
    "Бахтиёр",
    "Ҷаҳонгир",
    "Диловар",
    "Зафар",
    "Парвиз",
    "Аҳмад",
    "Юсуф",
    "Маҳмуд",
    "Сафар",
    "Карим",
    "Раҳим",
    "Назар",
    "Саид",
    "Ҳасан",
    "Ҳусейн",
    "Иброҳим",
    "Сино",
    "Амир",
    "Манучеҳр",
    "Хуршед",
    "Шоҳрух",
    "Фарҳод",
    "Ситорҷон",
    "Ҷалол",
    "Камол",
    "Нуриддин",
    "Зиёвуддин",
    "Тоҳир",
    "Олим",
    "Азиз",
    "Қодир",
    "Раҷаб",
    "Давлат",
    "Умар",
    "Усмон",
    "Алӣ",
    "Ислом",
    "Меҳроҷ",
    "Сӯҳроб",
    "Исфандиёр",
    "Бобур",
    "Анвар",
    "Ҳамза",
    "Ёсин",
    "Ҳотам",
    "Эргаш",
    "Ғафур",
    "Муроди",
    "Ҷӯра",
    "Бобо",
    "Нур",
    "Ҳаким",
    "Шариф",
    "Эраҷ",
    "Қурбон",
    "Зоир",
    "Одина",
    "Ортиқ",
    "Мурод",
    "Фаридун",
    "Илҳом",
    "Ашур",
    "Абдураҳмон",
    "Иброҳим",
    "Султон",
    "Мирзо",
    "Файзулло",
    "Насрулло",
    "Ҳайдар",
    "Ҳабиб",
    "Исроил",
    "Холмурод",
    "Лоиқ",
    "Зариф",
    "Шоҳин",
    "Пӯлод",
    "Некрӯз",
]
FEMALE_GIVEN = [
    "Мадина",
    "Нигина",
    "Шаҳло",
    "Дилноза",
    "Зарина",
    "Малика",
    "Гулнора",
    "Меҳрангез",
    "Фотима",
    "Ҷамила",
    "Мунира",
    "Нилуфар",
    "Парвина",
    "Сабрина",
    "Таҳмина",
    "Зулфия",
    "Манижа",
    "Ситора",
    "Фарзона",
    "Гулчеҳра",
    "Мавҷуда",
    "Наргис",
    "Робия",
    "Санавбар",
    "Шоира",
    "Бунафша",
    "Дилором",
    "Зебо",
    "Лола",
    "Марҳабо",
    "Нодира",
    "Ойша",
    "Паризод",
    "Раъно",
    "Соҳиба",
    "Тоҷинисо",
    "Хосият",
    "Шабнам",
    "Гулбаҳор",
    "Меҳрубон",
    "Рухшона",
    "Сафина",
    "Фируза",
    "Ҳаёт",
    "Ширин",
]
# Long tail: compound names, each rare on its own.
_PREFIXES = [
    "Абду",
    "Нур",
    "Шамс",
    "Фахр",
    "Саъд",
    "Зайн",
    "Наҷм",
    "Қамар",
    "Ҷамол",
    "Камол",
    "Сайф",
    "Ҳабиб",
    "Фатҳ",
    "Ғиёс",
    "Зиё",
    "Баҳо",
    "Иззат",
    "Низом",
    "Шараф",
    "Маҳмуд",
    "Салоҳ",
    "Нусрат",
    "Ҳидоят",
    "Иноят",
    "Муҳиб",
    "Ваҳҳоб",
    "Раҳмат",
    "Неъмат",
    "Ҳикмат",
    "Давлат",
    "Саъдул",
    "Ризо",
    "Асад",
    "Мирсаид",
    "Хоҷа",
    "Ғулом",
    "Тағой",
    "Шоҳ",
    "Мир",
    "Ҳоҷӣ",
]
_SUFFIXES = [
    "иддин",
    "улло",
    "ҷон",
    "хон",
    "бек",
    "али",
    "шо",
    "раҳмон",
    "қодир",
    "мурод",
    "назар",
    "бой",
]
_FEMALE_PREFIXES = ["Гул", "Моҳ", "Дил", "Нур", "Зар", "Меҳр", "Ноз", "Шир", "Ҳур", "Сит"]
_FEMALE_SUFFIXES = ["ноза", "бону", "бахт", "нисо", "чеҳра", "рухсор", "ой", "биби", "гул"]
# Surname roots (of the surname, not always a given name in use today).
SURNAME_ROOTS = [
    "Раҳим",
    "Карим",
    "Назар",
    "Саид",
    "Шариф",
    "Ҷӯра",
    "Қодир",
    "Сафар",
    "Азиз",
    "Ҳайдар",
    "Исмоил",
    "Юсуф",
    "Али",
    "Умар",
    "Усмон",
    "Раҷаб",
    "Давлат",
    "Мирзо",
    "Хол",
    "Ҳусейн",
    "Султон",
    "Амир",
    "Эргаш",
    "Файзулло",
    "Абдулло",
    "Бобо",
    "Наби",
    "Ашур",
    "Нур",
    "Ғафур",
    "Қурбон",
    "Зоир",
    "Одина",
    "Ортиқ",
    "Мурод",
    "Ҳаким",
    "Иброҳим",
    "Ҷалол",
    "Насрулло",
    "Тоҷиддин",
    "Шо",
    "Сангин",
    "Ҳамид",
    "Рашид",
    "Олим",
    "Комил",
    "Маҳмуд",
    "Собир",
    "Ҳасан",
    "Икром",
    "Акбар",
    "Аҳмад",
    "Шукур",
    "Латиф",
    "Нозим",
    "Ёқуб",
    "Қосим",
    "Солеҳ",
    "Зариф",
    "Маъруф",
    "Абдураҳмон",
    "Ҷумъа",
    "Бадал",
    "Тағо",
    "Хуҷа",
    "Шералӣ",
    "Мусо",
    "Исо",
    "Довуд",
    "Сулаймон",
]

_VOWELS_TG = "аеёиӣоуӯэюя"

# --- how often each variation happens. -----------------------------------------------------

DATE_VARIANTS = (  # (variant, weight)
    ("exact", 0.925),
    ("year", 0.02),
    ("year_month", 0.005),
    ("swap", 0.015),
    ("typo", 0.02),
    ("missing", 0.015),
)
P_REFORMED = 0.15  # identity's own surname is in the post-2016 form
P_OTHER_FORM = 0.08  # a record shows the other (old/new) surname form
P_FULL_NAME = 0.35  # one full_name field instead of split fields
P_GIVEN_FIRST = 0.4  # ... and then given name first
P_FIELDS_SWAPPED = 0.02
P_TYPO = 0.03  # one letter changed in one name field
P_JON = 0.03  # -ҷон added to the given name
P_NOISE = 0.05  # stray punctuation / spaces
P_SEX_MISSING = 0.08
P_DOC = 0.5
P_DOC_RENEWED = 0.3
P_RUSSIFIED_VOWEL = 0.35

# --- writing systems. -----------------------------------------------------------------------

_TG_RU = {"ҷ": "дж", "ӣ": "и", "қ": "к", "ӯ": "у", "ҳ": "х", "ғ": "г"}
TG_TO_RU = str.maketrans({**_TG_RU, **{k.upper(): v.capitalize() for k, v in _TG_RU.items()}})
TG_LATIN = {  # Tajik passport Latin (as commonly seen)
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "ӣ": "i", "й": "y", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ӯ": "u", "ф": "f", "х": "kh", "ҳ": "h", "ч": "ch", "ҷ": "j", "ш": "sh", "ъ": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
ICAO = {  # ICAO 9303 (Russian passports since 2013)
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
BGN = {**ICAO, "ё": "ë", "й": "y", "ъ": "", "ю": "yu", "я": "ya"}
FRENCH = {
    **ICAO, "ж": "j", "й": "ï", "у": "ou", "х": "kh", "ч": "tch", "ш": "ch", "щ": "chtch",
    "ю": "iou", "я": "ia", "ё": "io", "ъ": "",
}  # fmt: skip
_RU_VOWELS = "аеёиоуыэюя"


def _latin(text: str, table: dict[str, str], bgn: bool = False) -> str:
    out = []
    prev = " "
    for ch in text:
        low = ch.lower()
        if bgn and low == "е" and (prev in _RU_VOWELS or prev == " "):
            piece = "ye"  # BGN/PCGN: е is ye at the start and after a vowel
        else:
            piece = table.get(low, low)
        out.append(piece.capitalize() if ch.isupper() else piece)
        prev = low
    return "".join(out)


def _russify(name: str, rng: random.Random) -> str:
    """Russian clerks write unstressed Tajik о as а and е as и (Абдулло→Абдулла)."""
    name = name.translate(TG_TO_RU)
    if rng.random() < P_RUSSIFIED_VOWEL:
        if name.endswith("о"):
            name = name[:-1] + "а"
        elif "е" in name[1:]:
            i = name.index("е", 1)
            name = name[:i] + "и" + name[i + 1 :]
    return name


STYLES = ("tg", "ru", "tg_latin", "icao", "bgn", "french")


def render_name(name: str, style: str, rng: random.Random) -> str:
    if not name:
        return ""
    if style == "tg":
        return name
    ru = _russify(name, rng)
    if style == "ru":
        return ru
    if style == "tg_latin":
        return _latin(name, TG_LATIN)
    if style == "icao":
        return _latin(ru, ICAO).upper()
    if style == "bgn":
        return _latin(ru, BGN, bgn=True)
    return _latin(ru, FRENCH)


# --- identities. ----------------------------------------------------------------------------


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _head_and_tail(head: int, exponent: float, tail: int, tail_share: float) -> list[float]:
    weights = _zipf_weights(head, exponent)
    scale = (1 - tail_share) / sum(weights)
    return _cumulative([w * scale for w in weights] + [tail_share / tail] * tail)


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


@dataclass(frozen=True)
class Identity:
    truth_id: str
    sex: str
    given: str
    surname_root: str
    surname_form: str  # "old" or a new ending
    father: str
    birth: tuple[int, int, int]
    nationality: str
    documents: tuple[str, str]  # current and renewed passport numbers


class Population:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        tail = [p + s for p in _PREFIXES for s in _SUFFIXES]
        rng.shuffle(tail)
        given_tail, surname_tail = tail[:250], tail[250:]
        female_tail = [p + s for p in _FEMALE_PREFIXES for s in _FEMALE_SUFFIXES]
        # Zipf-like heads plus flat tails, tuned so that the top male name (Муҳаммад) is
        # about 6% of men, the top surname root (Раҳим-) about 4% of people, and the sums
        # of squared shares (the chance two random people share the name) are 0.013
        # (male given), 0.020 (female given) and 0.008 (surname root).
        self.male = MALE_GIVEN + given_tail
        self.male_w = _head_and_tail(len(MALE_GIVEN), 0.6, len(given_tail), 0.2)
        self.female = FEMALE_GIVEN + female_tail
        self.female_w = _head_and_tail(len(FEMALE_GIVEN), 0.5, len(female_tail), 0.2)
        self.roots = SURNAME_ROOTS + surname_tail
        self.roots_w = _head_and_tail(len(SURNAME_ROOTS), 0.5, len(surname_tail), 0.4)
        self.counter = 0

    def _date(self) -> tuple[int, int, int]:
        rng = self.rng
        return rng.randint(1962, 2006), rng.randint(1, 12), rng.randint(1, 28)

    def _doc(self) -> str:
        return f"{self.rng.choice('ABC')}{self.rng.randint(0, 99_999_999):08d}"

    def person(
        self,
        *,
        sex: str | None = None,
        surname_root: str | None = None,
        surname_form: str | None = None,
        father: str | None = None,
        birth: tuple[int, int, int] | None = None,
        given: str | None = None,
    ) -> Identity:
        rng = self.rng
        self.counter += 1
        sex = sex or ("M" if rng.random() < 0.82 else "F")  # labour migrants are mostly men
        if given is None:
            pool, weights = (self.male, self.male_w) if sex == "M" else (self.female, self.female_w)
            given = rng.choices(pool, cum_weights=weights)[0]
        if surname_form is None:
            surname_form = (
                rng.choice(("зода", "зода", "зод", "ӣ", "иён"))
                if rng.random() < P_REFORMED
                else "old"
            )
        nationality = rng.choices(("TJK", "UZB", "KGZ", "AFG"), (0.95, 0.03, 0.015, 0.005))[0]
        return Identity(
            truth_id=f"T{self.counter}",
            sex=sex,
            given=given,
            surname_root=surname_root or rng.choices(self.roots, cum_weights=self.roots_w)[0],
            surname_form=surname_form,
            father=father or rng.choices(self.male, cum_weights=self.male_w)[0],
            birth=birth or self._date(),
            nationality=nationality,
            documents=(self._doc(), self._doc()),
        )

    def relative(self, of: Identity) -> Identity:
        """A brother/sister (sometimes a twin): same surname and father, other given name."""
        rng = self.rng
        twin = rng.random() < 0.5
        sex = "M" if rng.random() < 0.8 else "F"
        pool = self.male if sex == "M" else self.female
        given = of.given
        while given == of.given:
            given = rng.choice(pool[:60])
        return self.person(
            sex=sex,
            surname_root=of.surname_root,
            surname_form=of.surname_form,
            father=of.father,
            birth=of.birth if twin else None,
            given=given,
        )


def surname(identity: Identity, form: str) -> str:
    root = identity.surname_root
    female = identity.sex == "F"
    if form == "old":
        ending = "ев" if root[-1] in _VOWELS_TG else "ов"
        return root + ending + ("а" if female else "")
    if form == "ӣ" and root[-1] in _VOWELS_TG:
        return root + "ӣ"
    return root + form


def patronymic(identity: Identity, russian: bool) -> str:
    father = identity.father
    if not russian:
        return father + "зода"  # the Tajik form
    base = father + ("ев" if father[-1] in _VOWELS_TG else "ов")
    return base + ("на" if identity.sex == "F" else "ич")


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randint(1, len(text) - 2)
    op = rng.random()
    letters = "абвгдеиклмнопрстуфхшaeioubdkmnrst"
    if op < 0.4:
        return text[:i] + rng.choice(letters) + text[i + 1 :]
    if op < 0.7:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _noise(text: str, rng: random.Random) -> str:
    return rng.choice((text + ".", " " + text, text.replace(" ", "  "), text + ","))


def _date_text(birth: tuple[int, int, int], rng: random.Random) -> tuple[str, bool]:
    y, m, d = birth
    variant = rng.choices([v for v, _ in DATE_VARIANTS], [w for _, w in DATE_VARIANTS])[0]
    if variant == "year":
        return f"{y:04d}", False
    if variant == "year_month":
        return f"{y:04d}-{m:02d}", False
    if variant == "missing":
        return "", False
    if variant == "swap" and d <= 12 and d != m:
        m, d = d, m
    elif variant == "typo":
        for _ in range(20):
            text = f"{y:04d}{m:02d}{d:02d}"
            i = rng.choice((2, 3, 5, 6, 7))
            cand = text[:i] + str(rng.randint(0, 9)) + text[i + 1 :]
            ny, nm, nd = int(cand[:4]), int(cand[4:6]), int(cand[6:])
            if cand != text and 1 <= nm <= 12 and 1 <= nd <= 28 and 1940 <= ny <= 2010:
                y, m, d = ny, nm, nd
                break
    return f"{y:04d}-{m:02d}-{d:02d}", True


FIELDS = (
    "id",
    "surname",
    "given_name",
    "patronymic",
    "full_name",
    "birth_date",
    "sex",
    "nationality",
    "document_number",
    "truth_id",
)


def render(identity: Identity, record_id: str, style: str, rng: random.Random) -> dict[str, str]:
    """One record of ``identity`` as a clerk using ``style`` would type it."""
    form = identity.surname_form
    if rng.random() < P_OTHER_FORM:
        form = "old" if form != "old" else rng.choice(("зода", "зода", "зод", "ӣ", "иён"))
    sur = surname(identity, form)
    given = identity.given
    if rng.random() < P_JON and not given.endswith("ҷон"):
        given += "ҷон"
    russian_patronymic = style != "tg" or rng.random() < 0.7
    # Latin documents (passport data pages, MRZ) carry no patronymic; Cyrillic registries
    # and Russian lists nearly always do.
    has_patronymic = rng.random() < (0.95 if style in ("tg", "ru") else 0.1)
    patr = patronymic(identity, russian_patronymic) if has_patronymic else ""
    sur, given, patr = (render_name(x, style, rng) for x in (sur, given, patr))
    if rng.random() < P_TYPO:
        if rng.random() < 0.5:
            sur = _typo(sur, rng)
        else:
            given = _typo(given, rng)
    if rng.random() < P_FIELDS_SWAPPED:
        sur, given = given, sur
    row = dict.fromkeys(FIELDS, "")
    row["id"] = record_id
    row["truth_id"] = identity.truth_id
    if rng.random() < P_FULL_NAME:
        words = [given, sur] if rng.random() < P_GIVEN_FIRST else [sur, given]
        if patr:
            words.insert(2 if words[0] == sur else 1, patr)
        full = " ".join(words)
        row["full_name"] = _noise(full, rng) if rng.random() < P_NOISE else full
    else:
        row["surname"] = _noise(sur, rng) if rng.random() < P_NOISE else sur
        row["given_name"] = given
        row["patronymic"] = patr
    row["birth_date"], _ = _date_text(identity.birth, rng)
    row["sex"] = "" if rng.random() < P_SEX_MISSING else identity.sex
    row["nationality"] = identity.nationality if rng.random() < 0.9 else ""
    if rng.random() < P_DOC:
        row["document_number"] = identity.documents[rng.random() < P_DOC_RENEWED]
    return row


LIST_STYLES = (("ru", 0.55), ("icao", 0.25), ("bgn", 0.06), ("french", 0.06), ("tg_latin", 0.08))
REGISTRY_STYLES = (("tg", 0.55), ("tg_latin", 0.2), ("ru", 0.2), ("icao", 0.05))


def _style(styles: tuple[tuple[str, float], ...], rng: random.Random) -> str:
    return rng.choices([s for s, _ in styles], [w for _, w in styles])[0]


def screen_files(
    size: int, out: Path, seed: int = 1, listed_share: float = 0.1
) -> tuple[Path, Path]:
    """``size`` people and ``size`` list entries; ``listed_share`` of the people are listed.

    Another 3% of the people are relatives of listed persons (hard negatives); everyone
    else is drawn from the same name distribution, so namesakes come for free.
    """
    rng = random.Random(seed)
    population = Population(rng)
    listed = [population.person() for _ in range(size)]
    people: list[Identity] = rng.sample(listed, int(size * listed_share))
    relatives = [population.relative(rng.choice(listed)) for _ in range(int(size * 0.03))]
    people += relatives
    people += [population.person() for _ in range(size - len(people))]
    rng.shuffle(people)
    out.mkdir(parents=True, exist_ok=True)
    list_path, people_path = out / f"list_{size}.csv", out / f"people_{size}.csv"
    with list_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        for i, identity in enumerate(listed):
            row = render(identity, f"E{i}", _style(LIST_STYLES, rng), rng)
            w.writerow([row[k] for k in FIELDS])
    with people_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        for i, identity in enumerate(people):
            row = render(identity, f"P{i}", _style(REGISTRY_STYLES, rng), rng)
            w.writerow([row[k] for k in FIELDS])
    return people_path, list_path


def dedupe_file(size: int, out: Path, seed: int = 2) -> Path:
    """``size`` records of about ``size / 1.6`` people (1 to 4 records each), mixed sources."""
    rng = random.Random(seed)
    population = Population(rng)
    rows: list[tuple[Identity, str]] = []
    identities: list[Identity] = []
    while len(rows) < size:
        if identities and rng.random() < 0.03:
            identity = population.relative(rng.choice(identities))
        else:
            identity = population.person()
        identities.append(identity)
        copies = rng.choices((1, 2, 3, 4), (0.6, 0.25, 0.1, 0.05))[0]
        for _ in range(copies):
            styles = REGISTRY_STYLES if rng.random() < 0.5 else LIST_STYLES
            rows.append((identity, _style(styles, rng)))
    rows = rows[:size]
    rng.shuffle(rows)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"records_{size}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        for i, (identity, style) in enumerate(rows):
            row = render(identity, f"R{i}", style, rng)
            w.writerow([row[k] for k in FIELDS])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("screen", "dedupe"))
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.kind == "screen":
        for path in screen_files(args.size, args.out, args.seed):
            print(path)
    else:
        print(dedupe_file(args.size, args.out, args.seed))


if __name__ == "__main__":
    main()
