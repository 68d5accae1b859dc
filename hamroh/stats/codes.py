"""Valid codes, read once from the core reference tables (countries, regions, ISCO-08, ISIC)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hamroh.core.models import Country, Occupation, Sector, Subdivision


@dataclass(frozen=True)
class Codes:
    countries: frozenset[str]
    regions: frozenset[str]
    # district or city code -> its region
    district_region: dict[str, str]
    occupations: frozenset[str]
    sectors: frozenset[str]


# Older ISO 3166-2:TJ code of the Districts of Republican Subordination.
REGION_ALIASES = {"TJ-RR": "TJ-RA"}


@lru_cache(maxsize=1)
def _load() -> Codes:
    subdivisions = list(Subdivision.objects.values_list("code", "parent_id", "kind"))
    regions = frozenset(code for code, _, kind in subdivisions if kind == "region")
    parents = {code: parent for code, parent, _ in subdivisions}

    def region_of(code: str) -> str:
        while parents.get(code):
            code = parents[code]
        return code

    return Codes(
        countries=frozenset(Country.objects.values_list("alpha3", flat=True)),
        regions=regions,
        district_region={code: region_of(code) for code in parents if code not in regions},
        occupations=frozenset(Occupation.objects.values_list("code", flat=True)),
        sectors=frozenset(Sector.objects.values_list("code", flat=True)),
    )


def codes() -> Codes:
    loaded = _load()
    if not loaded.countries:
        # Reference data not loaded yet when first asked: do not remember the empty answer.
        _load.cache_clear()
    return loaded


def forget() -> None:
    """Reread the reference tables next time (after `hamroh load_reference_data`)."""
    _load.cache_clear()
