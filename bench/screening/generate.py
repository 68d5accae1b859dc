"""Synthetic restriction lists and registries for the screening benchmark.

    python bench/screening/generate.py --size 1000000 --out bench/out/

Writes ``screening_<size>_list.csv`` (a partner's list in the columns the screening app
loads) and ``screening_<size>_people.csv`` (people to screen, DESIGN.md's person CSV). Names
are built from Tajik roots and endings with a Zipf-like frequency, so namesakes are common
as in life; the list is written in Russian Cyrillic or in the Latin of Russian documents;
``OVERLAP`` of the people are on the list (written the Tajik way, sometimes with only the
birth year or without the passport number). ``truth.csv`` pairs them for reference.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

OVERLAP = 0.01
ROOTS = [
    "Раҳим",
    "Карим",
    "Назар",
    "Саид",
    "Шариф",
    "Ҳаким",
    "Юсуп",
    "Абдулло",
    "Давлат",
    "Мирзо",
    "Исмоил",
    "Хол",
    "Сафар",
    "Азиз",
    "Бобо",
    "Ашур",
    "Олим",
    "Рустам",
    "Қурбон",
    "Ҳусейн",
    "Мурод",
    "Тоҷи",
    "Султон",
    "Нор",
    "Ҷалол",
    "Қодир",
    "Ғани",
    "Ҷӯра",
    "Файзулло",
    "Насрулло",
    "Ҳайдар",
    "Ҳабиб",
    "Исроил",
    "Холмурод",
    "Зариф",
    "Шоҳин",
    "Пӯлод",
    "Некрӯз",
    "Умар",
    "Усмон",
    "Раҷаб",
    "Одина",
    "Ортиқ",
    "Фаридун",
    "Илҳом",
    "Эргаш",
    "Ғафур",
    "Ҳотам",
    "Анвар",
    "Бобур",
    "Сӯҳроб",
    "Камол",
    "Нуриддин",
    "Зиё",
    "Тоҳир",
    "Амир",
    "Сино",
    "Ҳасан",
    "Маҳмуд",
    "Аҳмад",
    "Парвиз",
    "Зафар",
    "Диловар",
    "Ҷаҳонгир",
    "Бахтиёр",
    "Шерзод",
    "Комрон",
    "Сорбон",
    "Далер",
    "Баҳодур",
    "Умед",
    "Фаррух",
    "Алишер",
    "Ҷамшед",
    "Фирӯз",
    "Шамсиддин",
    "Нурулло",
    "Ҷумъа",
    "Латиф",
    "Маъруф",
    "Муъмин",
    "Наим",
    "Обид",
    "Қаюм",
    "Рауф",
    "Салим",
    "Тағо",
    "Хайрулло",
    "Чори",
    "Шукур",
    "Эшон",
    "Ёқуб",
    "Валӣ",
    "Гадо",
    "Дӯст",
    "Исо",
    "Лутфулло",
    "Мусо",
    "Неъмат",
    "Пир",
    "Самад",
    "Ҳамид",
]
ENDINGS = ["ов", "ов", "ов", "ев", "зода", "зода", "ӣ", "иён", "зод"]
MEN = [
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
    "Сино",
    "Амир",
    "Манучеҳр",
    "Хуршед",
    "Шоҳрух",
    "Фарҳод",
    "Ҷалол",
    "Камол",
    "Нуриддин",
    "Тоҳир",
    "Олим",
    "Азиз",
    "Қодир",
    "Раҷаб",
    "Давлат",
    "Умар",
    "Усмон",
    "Ислом",
    "Сӯҳроб",
    "Бобур",
    "Анвар",
    "Ҳамза",
    "Ёсин",
    "Ҳотам",
    "Шариф",
    "Эраҷ",
    "Қурбон",
    "Мурод",
    "Фаридун",
    "Илҳом",
    "Абдураҳмон",
    "Иброҳим",
    "Султон",
    "Мирзо",
    "Файзулло",
    "Насрулло",
    "Ҳайдар",
    "Ҳабиб",
    "Лоиқ",
    "Зариф",
]
WOMEN = [
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
    "Шабнам",
    "Гулбаҳор",
    "Рухшона",
    "Фируза",
    "Ширин",
]
TG_TO_RU = str.maketrans(
    {"ҷ": "дж", "ӯ": "у", "ӣ": "и", "қ": "к", "ғ": "г", "ҳ": "х", "Ҷ": "Дж", "Ӯ": "У", "Қ": "К"}
    | {"Ғ": "Г", "Ҳ": "Х", "ъ": ""}
)
RU_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
        "я": "ia",
    }
)  # fmt: skip


def russian(text: str) -> str:
    return text.translate(TG_TO_RU)


def latin(text: str) -> str:
    return russian(text).lower().translate(RU_TO_LATIN).upper()


def zipf(rng: random.Random, pool: list[str]) -> str:
    # Rank r is picked with weight ~1/r: a few very common names, a long tail.
    return pool[min(int(len(pool) ** rng.random()) - 1, len(pool) - 1)]


def person(rng: random.Random, n: int) -> dict[str, str]:
    female = rng.random() < 0.2
    root = zipf(rng, ROOTS)
    ending = rng.choice(ENDINGS)
    surname = root + ending + ("а" if female and ending in ("ов", "ев") else "")
    return {
        "surname": surname,
        "given_name": zipf(rng, WOMEN if female else MEN),
        "patronymic": "",
        "birth_date": f"{rng.randint(1960, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "sex": "F" if female else "M",
        "document_number": f"{400000000 + n * 7919 % 599999999:09d}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    size = args.size
    list_path = out / f"screening_{size}_list.csv"
    people_path = out / f"screening_{size}_people.csv"
    entries = [person(rng, n) for n in range(size)]
    with list_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "id",
                "surname",
                "given_name",
                "birth_date",
                "sex",
                "nationality",
                "document_number",
                "list_kind",
                "reason",
                "legal_basis",
                "valid_from",
                "valid_until",
                "source_reference",
            ]
        )
        for n, p in enumerate(entries):
            write = latin if n % 2 else russian
            writer.writerow(
                [
                    f"E{n:07d}",
                    write(p["surname"]),
                    write(p["given_name"]),
                    p["birth_date"],
                    p["sex"],
                    "TJK",
                    p["document_number"],
                    "entry_ban",
                    "overstay",
                    "114-FZ",
                    f"{2020 + n % 6}-01-15",
                    "",
                    f"MVD/{n}",
                ]
            )
    listed = set(rng.sample(range(size), int(size * OVERLAP)))
    with (
        people_path.open("w", newline="", encoding="utf-8") as handle,
        (out / f"screening_{size}_truth.csv").open("w", newline="", encoding="utf-8") as truth,
    ):
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "surname", "given_name", "birth_date", "sex", "document_number"])
        truth_writer = csv.writer(truth, lineterminator="\n")
        truth_writer.writerow(["person_id", "entry_id"])
        for n in range(size):
            if n in listed:
                p = dict(entries[n])
                if rng.random() < 0.2:
                    p["birth_date"] = p["birth_date"][:4]
                if rng.random() < 0.3:
                    p["document_number"] = ""
                truth_writer.writerow([f"P{n:07d}", f"E{n:07d}"])
            else:
                p = person(rng, size + n)
            writer.writerow(
                [
                    f"P{n:07d}",
                    p["surname"],
                    p["given_name"],
                    p["birth_date"],
                    p["sex"],
                    p["document_number"],
                ]
            )
    print(list_path, people_path)


if __name__ == "__main__":
    main()
