"""Small builders for the statistics tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from hamroh.stats import services
from hamroh.stats.figures import FigureInput

_counter = {"n": 0}


def depart(**overrides: Any) -> None:
    _counter["n"] += 1
    values: dict[str, Any] = {
        "source": "test",
        "person_ref": f"p{_counter['n']}",
        "sex": "M",
        "birth_date": "1990-01-01",
        "departure_date": date(2023, 3, 10),
        "destination": "RUS",
        "destination_region": "",
        "origin_region": "TJ-SU",
        "occupation": "711",
        "channel": "individual",
    }
    values.update(overrides)
    services.record_departure(**values)


def figure(value: int, **overrides: Any) -> FigureInput:
    values: dict[str, Any] = {
        "source": "National",
        "reporter": "national",
        "measure": "departures",
        "period_start": date(2023, 1, 1),
        "period_end": date(2023, 12, 31),
        "value": value,
    }
    values.update(overrides)
    return FigureInput(**values)


def store(*figures: FigureInput, update: bool = False) -> None:
    plan, _batch = services.import_figures(
        figures=list(figures), file_name="test.csv", actor_label="test", update=update
    )
    assert not plan.errors, plan.errors
