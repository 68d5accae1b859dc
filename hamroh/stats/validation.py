"""Checks and normalises one departure record; shared by the service and the CSV import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from hamroh.stats.codes import REGION_ALIASES, Codes
from hamroh.stats.models import Channel

BIRTH_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CHANNELS = frozenset(Channel.values)


class FieldError(ValueError):
    """A value that cannot be accepted; ``field`` names the column it came from."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CleanDeparture:
    sex: str
    birth_year: int | None
    age: int | None
    departure_date: date
    destination: str
    destination_region: str
    origin_region: str
    origin_district: str
    occupation: str
    occupation_group: str
    sector: str
    channel: str


def parse_date(field: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(
            field, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:20]}
        ) from None


def age_at(birth: str, on: date) -> tuple[int | None, int | None]:
    """Birth year and completed years at ``on``; a year-only birth date counts whole years."""
    birth = birth.strip()
    if not birth:
        return None, None
    match = BIRTH_DATE.match(birth)
    if not match:
        raise FieldError(
            "birth_date",
            _("“%(value)s” is not a birth date (YYYY, YYYY-MM or YYYY-MM-DD).")
            % {"value": birth[:20]},
        )
    y = int(match[1])
    m = int(match[2]) if match[2] else None
    d = int(match[3]) if match[3] else None
    try:
        if m is not None:
            date(y, m, d or 1)
    except ValueError:
        raise FieldError(
            "birth_date", _("“%(value)s” is not a valid date.") % {"value": birth[:20]}
        ) from None
    age = on.year - y
    if m is not None and (on.month, on.day) < (m, d or 1):
        age -= 1
    if age < 0 or y < 1900:
        raise FieldError("birth_date", _("The birth date is after the departure or too early."))
    return y, age


def clean_departure(
    *,
    codes: Codes,
    sex: str,
    birth_date: str,
    departure_date: date | str,
    destination: str,
    destination_region: str,
    origin_region: str,
    occupation: str,
    channel: str,
    sector: str = "",
) -> CleanDeparture:
    sex = sex.strip().upper()
    if sex not in ("M", "F"):
        raise FieldError("sex", _("Sex must be M or F, not “%(value)s”.") % {"value": sex[:5]})
    if isinstance(departure_date, str):
        departure_date = parse_date("departure_date", departure_date)
    if departure_date > date.today():
        raise FieldError("departure_date", _("The departure date is in the future."))
    birth_year, age = age_at(birth_date, departure_date)
    destination = destination.strip().upper()
    if destination == "TJK" or destination not in codes.countries:
        raise FieldError(
            "destination",
            _("“%(value)s” is not an ISO 3166-1 alpha-3 country code of a destination.")
            % {"value": destination[:10]},
        )
    origin = origin_region.strip().upper()
    origin = REGION_ALIASES.get(origin, origin)
    district = ""
    if origin in codes.district_region:
        district, origin = origin, codes.district_region[origin]
    elif origin and origin not in codes.regions:
        raise FieldError(
            "origin_region",
            _("“%(value)s” is not an ISO 3166-2:TJ region or a district code.")
            % {"value": origin[:40]},
        )
    occupation = occupation.strip()
    if occupation and not (
        occupation in codes.occupations
        or (len(occupation) == 4 and occupation.isdigit() and occupation[:3] in codes.occupations)
    ):
        raise FieldError(
            "occupation",
            _("“%(value)s” is not an ISCO-08 occupation code.") % {"value": occupation[:10]},
        )
    sector = sector.strip().upper()
    if sector and sector not in codes.sectors:
        raise FieldError(
            "sector", _("“%(value)s” is not an ISIC Rev.4 section.") % {"value": sector[:5]}
        )
    channel = channel.strip().lower()
    if channel not in CHANNELS:
        raise FieldError(
            "channel",
            _("Channel must be “organised” or “individual”, not “%(value)s”.")
            % {"value": channel[:20]},
        )
    return CleanDeparture(
        sex=sex,
        birth_year=birth_year,
        age=age,
        departure_date=departure_date,
        destination=destination,
        destination_region=destination_region.strip()[:80],
        origin_region=origin,
        origin_district=district,
        occupation=occupation,
        occupation_group=occupation[:1],
        sector=sector,
        channel=channel,
    )
