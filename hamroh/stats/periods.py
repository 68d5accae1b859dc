"""Reporting periods: a year, a quarter or a month, as date ranges and ISO 8601 labels."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        return label_for(self.start, self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31))


def quarter(y: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValueError(_("A quarter is 1, 2, 3 or 4."))
    first = 3 * (q - 1) + 1
    return Period(date(y, first, 1), month_end(y, first + 2))


def month(y: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise ValueError(_("A month is 1 to 12."))
    return Period(date(y, m, 1), month_end(y, m))


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def label_for(start: date, end: date) -> str:
    """ISO 8601 / SDMX TIME_PERIOD: 2023, 2023-Q1, 2023-01, or an interval otherwise."""
    if start.day == 1 and start.month == 1 and end == date(start.year, 12, 31):
        return f"{start.year}"
    if start.day == 1 and end == month_end(start.year, start.month):
        return f"{start.year}-{start.month:02d}"
    if (
        start.day == 1
        and start.month in (1, 4, 7, 10)
        and end == month_end(start.year, start.month + 2)
    ):
        return f"{start.year}-Q{(start.month + 2) // 3}"
    if start.day == 1 and start.year == end.year and end == month_end(end.year, end.month):
        # Several whole months: an ISO 8601 interval of months.
        return f"{start.year}-{start.month:02d}/{end.year}-{end.month:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"


def parse_label(text: str) -> Period:
    """The inverse of :func:`label_for` (also accepts full-date intervals)."""
    text = text.strip()
    if "/" in text:
        left, right = text.split("/", 1)
        a, b = parse_label(left), parse_label(right)
        return Period(a.start, b.end)
    if len(text) == 4 and text.isdigit():
        return year(int(text))
    if len(text) == 7 and text[4:6] == "-Q" and text[:4].isdigit() and text[6].isdigit():
        return quarter(int(text[:4]), int(text[6]))
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        return month(int(text[:4]), int(text[5:]))
    day = date.fromisoformat(text)
    return Period(day, day)
