"""The contract the recruitment app calls: record_departure and record_return."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from hamroh.core.models import AuditEntry
from hamroh.stats import services
from hamroh.stats.models import Departure

pytestmark = pytest.mark.django_db


def depart(**overrides: Any) -> None:
    values: dict[str, Any] = {
        "source": "recruitment",
        "person_ref": "p-1",
        "sex": "M",
        "birth_date": "1995-06-15",
        "departure_date": date(2023, 3, 10),
        "destination": "RUS",
        "destination_region": "RU-MOW",
        "origin_region": "TJ-SU",
        "occupation": "7112",
        "channel": "organised",
    }
    values.update(overrides)
    services.record_departure(**values)


def test_it_records_a_departure_with_age_and_period() -> None:
    depart()
    record = Departure.objects.get()
    assert (record.sex, record.birth_year, record.age) == ("M", 1995, 27)
    assert (record.departure_year, record.departure_month) == (2023, 3)
    assert (record.occupation, record.occupation_group) == ("7112", "7")


def test_it_does_not_duplicate_a_departure_recorded_twice() -> None:
    depart()
    depart(destination="KAZ")
    record = Departure.objects.get()
    assert record.destination == "KAZ"


def test_it_splits_a_district_code_into_region_and_district() -> None:
    depart(origin_region="TJ-SU-ISFARA")
    record = Departure.objects.get()
    assert (record.origin_region, record.origin_district) == ("TJ-SU", "TJ-SU-ISFARA")


def test_it_accepts_the_older_code_of_the_districts_of_republican_subordination() -> None:
    depart(origin_region="TJ-RR")
    assert Departure.objects.get().origin_region == "TJ-RA"


def test_it_counts_whole_years_for_a_year_only_birth_date() -> None:
    depart(birth_date="2000")
    assert Departure.objects.get().age == 23


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("destination", "XXX"),
        ("destination", "TJK"),
        ("origin_region", "TJ-ZZ"),
        ("occupation", "9999"),
        ("channel", "smuggled"),
        ("sex", "X"),
        ("birth_date", "15.06.1995"),
    ],
)
def test_it_refuses_an_unknown_code_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        depart(**{field: value})
    assert field in error.value.message_dict
    assert not Departure.objects.exists()


def test_it_refuses_a_birth_date_after_the_departure() -> None:
    with pytest.raises(ValidationError) as error:
        depart(birth_date="2024-01-01")
    assert "birth_date" in error.value.message_dict


def test_it_audits_the_departure_without_values() -> None:
    depart()
    entry = AuditEntry.objects.filter(object_type="stats.departure").get()
    assert entry.action == AuditEntry.Action.CREATE
    assert "sex" in entry.fields
    assert "M" not in entry.fields


def test_it_records_a_return_on_the_open_departure() -> None:
    depart(departure_date=date(2022, 3, 1))
    services.record_return(source="recruitment", person_ref="p-1", return_date=date(2022, 11, 1))
    depart(departure_date=date(2023, 3, 1))
    services.record_return(source="recruitment", person_ref="p-1", return_date=date(2023, 12, 1))
    returns = dict(Departure.objects.values_list("departure_date", "return_date"))
    assert returns == {date(2022, 3, 1): date(2022, 11, 1), date(2023, 3, 1): date(2023, 12, 1)}


def test_it_ignores_the_same_return_recorded_twice() -> None:
    depart()
    services.record_return(source="recruitment", person_ref="p-1", return_date=date(2023, 9, 1))
    services.record_return(source="recruitment", person_ref="p-1", return_date=date(2023, 9, 1))
    assert Departure.objects.get().return_date == date(2023, 9, 1)


def test_it_refuses_a_return_without_a_departure_before_it() -> None:
    depart()
    with pytest.raises(ValidationError):
        services.record_return(source="recruitment", person_ref="p-1", return_date=date(2023, 1, 1))
    with pytest.raises(ValidationError):
        services.record_return(source="other", person_ref="p-1", return_date=date(2023, 9, 1))
