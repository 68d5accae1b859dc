#!/usr/bin/env python3
"""Regenerate ``hamroh/core/data/countries.csv`` from pycountry.

Usage (from the repository root)::

    .venv/bin/python scripts/build_reference_data.py

Only ``countries.csv`` is generated.  English names come from pycountry's
``name``; Russian and Tajik names come from the gettext catalogues that ship
with pycountry (``iso3166-1`` domain, ``ru`` and ``tg`` locales).  The
dictionaries ``TG_OVERRIDES`` and ``RU_OVERRIDES`` below hold hand-written
corrections and additions; they win over the catalogues.  A Tajik name is left
empty only when neither the catalogue nor the overrides have one (the app then
falls back to Russian, then English).

The other files in ``hamroh/core/data/`` are hand-curated and are NOT produced
by this script:

* ``tj_subdivisions.csv`` -- ISO 3166-2:TJ regions plus districts and cities
  (administrative division as of 2024);
* ``isco08.csv`` -- ISCO-08 major, sub-major and minor groups;
* ``isic4_sections.csv`` -- ISIC Rev.4 sections A-U.

See ``hamroh/core/data/README.md`` for columns and sources.
"""

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "hamroh" / "core" / "data" / "countries.csv"
COLUMNS = ["alpha2", "alpha3", "numeric", "name_en", "name_ru", "name_tg"]

# Hand-written Tajik names, keyed by alpha-2.  They fill gaps in pycountry's
# ``tg`` catalogue, fix entries that are wrong there, and use the forms that
# Tajik speakers (and Tajik official usage) actually use for the countries
# that matter most to labour migrants.
TG_OVERRIDES: dict[str, str] = {
    # Missing from the catalogue (pycountry renamed "Turkey" to "Türkiye").
    "TR": "Туркия",
    # Wrong in the catalogue.
    "LK": "Шри-Ланка",  # catalogue has the name of Liechtenstein
    "SX": "Синт-Мартен (қисми Нидерландия)",  # catalogue says "German part"
    "BL": "Сент-Бартелеми",  # catalogue has a soft hyphen instead of "-"
    "BN": "Бруней-Доруссалом",  # catalogue calls the sultanate a republic
    "NU": "Ниуэ",
    # Preferred current forms for migration-relevant countries.
    "TJ": "Тоҷикистон",
    "RU": "Федератсияи Русия",
    "KZ": "Қазоқистон",
    "UZ": "Ӯзбекистон",
    "KG": "Қирғизистон",
    "TM": "Туркманистон",
    "AF": "Афғонистон",
    "BY": "Беларус",
    "AE": "Аморати Муттаҳидаи Араб",
    "US": "Иёлоти Муттаҳидаи Амрико",
    "GB": "Британияи Кабир",
    "CN": "Чин",
    "DE": "Олмон",
    "PL": "Лаҳистон",
    "AZ": "Озарбойҷон",
    "AM": "Арманистон",
    "GE": "Гурҷистон",
    "IR": "Ҷумҳурии Исломии Эрон",
    "SA": "Арабистони Саудӣ",
    "QA": "Қатар",
    "JP": "Ҷопон",
    "KR": "Ҷумҳурии Корея",
    "IL": "Исроил",
    "FI": "Финландия",
    "MD": "Ҷумҳурии Молдова",
    "UA": "Украина",
    "LT": "Литва",
    "LV": "Латвия",
    "EE": "Эстония",
}

# Hand-written Russian corrections (capitalisation and a few clumsy catalogue
# entries).  Keyed by alpha-2.
RU_OVERRIDES: dict[str, str] = {
    "US": "Соединённые Штаты Америки",
    "GB": "Великобритания",
    "CF": "Центральноафриканская Республика",
    "DO": "Доминиканская Республика",
    "MP": "Северные Марианские острова",
    "UM": "Внешние малые острова США",
    "WF": "Уоллис и Футуна",
}


def _catalogue(lang: str) -> gettext.GNUTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])


def _lookup(cat: gettext.GNUTranslations, msgid: str) -> str:
    """Return the translation or "" when the catalogue has no entry."""
    value = cat._catalog.get(msgid)  # type: ignore[attr-defined]
    if not value:
        return ""
    # Normalise stray soft hyphens and whitespace found in some catalogues.
    return " ".join(value.replace("\u00ad", "-").split())


def build_rows() -> list[dict[str, str]]:
    ru = _catalogue("ru")
    tg = _catalogue("tg")
    rows = []
    for country in pycountry.countries:
        a2 = country.alpha_2
        name_en = country.name
        rows.append(
            {
                "alpha2": a2,
                "alpha3": country.alpha_3,
                "numeric": country.numeric,
                "name_en": name_en,
                "name_ru": RU_OVERRIDES.get(a2) or _lookup(ru, name_en) or name_en,
                "name_tg": TG_OVERRIDES.get(a2) or _lookup(tg, name_en),
            }
        )
    rows.sort(key=lambda r: r["alpha2"])
    return rows


def main() -> int:
    rows = build_rows()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    missing_tg = [r["alpha2"] for r in rows if not r["name_tg"]]
    print(f"wrote {len(rows)} countries to {OUT.relative_to(ROOT)}")
    if missing_tg:
        print("no Tajik name for: " + ", ".join(missing_tg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
