"""Write the demo entry-ban list and the demo departure cohort (run once; output committed).

    .venv/bin/python hamroh/screening/demo/make_demo_files.py

The list is what a Russian partner would send: names in Russian Cyrillic or in the Latin of
Russian documents (ICAO 9303), a few in Tajik Cyrillic. The cohort is written the Tajik way.
Some cohort people are on the list (written differently), some are namesakes who are not.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

SURNAMES = [
    "Ҷӯраев",
    "Раҳимов",
    "Қодиров",
    "Ғаниев",
    "Назаров",
    "Саидов",
    "Шарипов",
    "Ҳакимов",
    "Каримов",
    "Юсупов",
    "Абдуллоев",
    "Давлатов",
    "Мирзоев",
    "Исмоилов",
    "Холов",
    "Сафаров",
    "Азизов",
    "Бобоев",
    "Ашуров",
    "Олимов",
    "Рустамзода",
    "Каримзода",
    "Шарифзода",
    "Қурбонов",
    "Ҳусейнов",
    "Муродов",
    "Тоҷиев",
    "Султонов",
    "Норов",
    "Ҷалолов",
]
MEN = [
    "Ҷамшед",
    "Фаррух",
    "Сӯҳроб",
    "Далер",
    "Умед",
    "Баҳодур",
    "Фирӯз",
    "Шаҳром",
    "Рустам",
    "Зафар",
    "Манучеҳр",
    "Искандар",
    "Абдулло",
    "Меҳрубон",
    "Илҳом",
    "Комрон",
    "Парвиз",
]
WOMEN = ["Мадина", "Нигина", "Зарина", "Шаҳло", "Гулноза", "Дилноза", "Мавзуна", "Фарангис"]
TG_TO_RU = {
    "ҷ": "дж",
    "ӯ": "у",
    "ӣ": "и",
    "қ": "к",
    "ғ": "г",
    "ҳ": "х",
    "Ҷ": "Дж",
    "Ӯ": "У",
    "Ӣ": "И",
    "Қ": "К",
    "Ғ": "Г",
    "Ҳ": "Х",
}
RU_TO_ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}


def russian(text: str) -> str:
    return "".join(TG_TO_RU.get(ch, ch) for ch in text)


def icao(text: str) -> str:
    return "".join(RU_TO_ICAO.get(ch, ch) for ch in russian(text).lower()).upper()


def patronymic(father: str, female: bool) -> str:
    base = russian(father)
    return base + ("овна" if female else "ович")


def main() -> None:
    rng = random.Random(2026)
    people: list[dict[str, str]] = []
    used = set()
    while len(people) < 320:
        female = rng.random() < 0.2
        surname = rng.choice(SURNAMES)
        if female and surname.endswith(("ов", "ев")):
            surname += "а"
        given = rng.choice(WOMEN if female else MEN)
        birth = f"{rng.randint(1968, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        key = (surname, given, birth)
        if key in used:
            continue
        used.add(key)
        people.append(
            {
                "surname": surname,
                "given_name": given,
                "patronymic": patronymic(rng.choice(MEN), female),
                "birth_date": birth,
                "sex": "F" if female else "M",
                "document_number": f"40{rng.randint(0, 9_999_999):07d}",
                "issue": f"{rng.randint(2016, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        )
    entries = people[:300]
    with open(HERE / "entry_bans.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "surname",
                "given_name",
                "patronymic",
                "birth_date",
                "sex",
                "nationality",
                "document_number",
                "document_issue_date",
                "list_kind",
                "reason",
                "legal_basis",
                "valid_from",
                "valid_until",
                "source_reference",
            ]
        )
        for n, p in enumerate(entries, 1):
            script = n % 3
            if script == 0:
                surname, given, patr = (
                    russian(p["surname"]),
                    russian(p["given_name"]),
                    p["patronymic"],
                )
            elif script == 1:
                surname, given, patr = icao(p["surname"]), icao(p["given_name"]), ""
            else:
                surname, given, patr = p["surname"], p["given_name"], ""
            start = 2021 + n % 5
            writer.writerow(
                [
                    f"RU-EB-{n:05d}",
                    surname,
                    given,
                    patr,
                    p["birth_date"],
                    p["sex"],
                    "TJK",
                    p["document_number"],
                    p["issue"] if n % 2 else "",
                    "entry_ban",
                    "Administrative offence: overstay (Art. 18.8 CoAP RF)",
                    "Federal Law 114-FZ, Art. 27(1)(2)",
                    f"{start}-{1 + n % 12:02d}-{1 + n % 27:02d}",
                    f"{start + 5}-{1 + n % 12:02d}-{1 + n % 27:02d}",
                    f"MVD/{start}/{n:05d}",
                ]
            )
    cohort: list[dict[str, str]] = []
    # Listed people, written the Tajik way: some with the birth date's day and month swapped.
    for n, p in enumerate(entries[:12], 1):
        birth = p["birth_date"]
        y, m, d = birth.split("-")
        if n in (4, 9):  # day and month swapped, or a one-digit typo in the day
            birth = f"{y}-{d}-{m}" if int(d) <= 12 else f"{y}-{m}-{int(d) % 10 + 10:02d}"
        elif n == 5:  # only the year known
            birth = y
        elif n == 7:  # birth date unknown
            birth = ""
        cohort.append(
            {
                "surname": p["surname"],
                "given_name": p["given_name"],
                "patronymic": "",
                "birth_date": birth,
                "sex": p["sex"],
                "document_number": p["document_number"] if n % 3 else "",
                "consent": "yes" if n % 2 else "no",
                "contact": f"+99290{n:07d}" if n % 2 else "",
            }
        )
    # Namesakes: the same name as a listed person, born on another day.
    for p in entries[20:24]:
        year = int(p["birth_date"][:4])
        cohort.append(
            {
                "surname": p["surname"],
                "given_name": p["given_name"],
                "patronymic": "",
                "birth_date": f"{year + 3}-02-11",
                "sex": p["sex"],
                "document_number": "",
                "consent": "",
                "contact": "",
            }
        )
    # People on no list.
    for p in people[300:]:
        cohort.append(
            {
                "surname": p["surname"],
                "given_name": p["given_name"],
                "patronymic": "",
                "birth_date": p["birth_date"],
                "sex": p["sex"],
                "document_number": p["document_number"],
                "consent": "yes",
                "contact": "",
            }
        )
    rng.shuffle(cohort)
    with open(HERE / "departures.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "surname",
                "given_name",
                "patronymic",
                "birth_date",
                "sex",
                "nationality",
                "document_number",
                "consent",
                "contact",
                "language",
            ]
        )
        for n, p in enumerate(cohort, 1):
            writer.writerow(
                [
                    f"DEP-{n:04d}",
                    p["surname"],
                    p["given_name"],
                    p["patronymic"],
                    p["birth_date"],
                    p["sex"],
                    "TJK",
                    p["document_number"],
                    p["consent"],
                    p["contact"],
                    "tg",
                ]
            )


if __name__ == "__main__":
    main()
