"""The helpline console finds the caller in the registry of migrants: by passport, by phone
(with or without the country code), or by name in any script through the identity engine,
and shows the cases they reported."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hamroh.assistance.tests.factories import submit
from hamroh.core.models import AuditEntry
from hamroh.identity.engine.records import BirthDate
from hamroh.registry.contracts import find_callers, phone_variants
from hamroh.registry.models import PersonName
from hamroh.registry.services import NameInput
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db

JURAEV = [
    NameInput("Ҷӯраев", "Ҷамшед", "Алиевич", PersonName.Script.TAJIK),
    NameInput("JURAEV", "JAMSHED", "", PersonName.Script.LATIN),
]


def test_a_caller_is_found_by_passport_and_by_phone_said_without_the_country_code(
    people: Any,
) -> None:
    person, _code = make_person(
        names=JURAEV, phone="+992 93 555 44 33", passport_number="400111222"
    )
    by_passport = find_callers(user=people.operator, passport="400 111 222")
    assert [(c.public_id, c.found_by) for c in by_passport] == [(person.public_id, "passport")]
    by_phone = find_callers(user=people.operator, phone="93-555-44-33")
    assert [c.public_id for c in by_phone] == [person.public_id]
    assert by_phone[0].phones == ["+992 93 555 44 33"]


def test_a_caller_is_found_by_name_in_russian_cyrillic_with_the_birth_date(people: Any) -> None:
    person, _code = make_person(names=JURAEV, birth_date=BirthDate(1990, 5, 17))
    make_person(names=JURAEV, birth_date=BirthDate(1971, 2, 3))  # a namesake
    found = find_callers(
        user=people.operator, name="Джураев Джамшед", birth_date=BirthDate(1990, 5, 17)
    )
    assert found[0].public_id == person.public_id
    assert found[0].found_by == "match" and found[0].reasons
    assert "Ҷӯраев Ҷамшед Алиевич" in found[0].names


def test_given_name_first_still_finds_the_caller(people: Any) -> None:
    person, _code = make_person(names=JURAEV, birth_date=BirthDate(1990, 5, 17))
    found = find_callers(user=people.operator, name="Jamshed Juraev", birth_date=BirthDate(1990))
    assert person.public_id in [c.public_id for c in found]


def test_the_search_and_every_person_shown_are_audited(people: Any) -> None:
    person, _code = make_person(names=JURAEV, passport_number="400111333")
    find_callers(user=people.operator, passport="400111333")
    search = AuditEntry.objects.filter(object_type="registry.person", object_id="search").get()
    assert search.fields == ["passport"] and search.actor == people.operator
    assert AuditEntry.objects.filter(
        object_type="registry.person", object_id=str(person.pk), action="read"
    ).exists()


def test_only_case_handlers_may_look_callers_up(people: Any) -> None:
    with pytest.raises(PermissionDenied):
        find_callers(user=people.statistician, passport="400111222")


def test_phone_variants_cover_the_forms_people_say() -> None:
    assert phone_variants("935554433") == phone_variants("+992 935 55 44 33")
    assert phone_variants("12") == set()


def test_the_console_shows_the_registered_caller_and_their_cases(
    client_for: Any, people: Any
) -> None:
    person, _code = make_person(
        names=JURAEV, phone="+992 93 555 44 33", passport_number="400111444"
    )
    theirs = submit(reporter_phone="+992 93 555 44 33").case
    submit(reporter_phone="+7 900 000-00-00")  # somebody else's
    client = client_for(people.operator)
    response = client.post(
        "/desk/assistance/console/", {"action": "search", "passport": "400111444"}
    )
    assert response.status_code == 200
    [(caller, cases)] = response.context["callers"]
    assert caller.public_id == person.public_id and cases == [theirs]
    page = response.content.decode()
    assert 'data-testid="callers"' in page and theirs.reference in page
    assert "400111444" not in response.request.get("QUERY_STRING", "")


def test_a_malformed_birth_date_is_explained(client_for: Any, people: Any, settings: Any) -> None:
    client = client_for(people.operator)
    # The operator's saved language is Tajik; the cookie chooses English for this check.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/desk/assistance/console/",
        {"action": "search", "name": "Juraev", "birth_date": "17.05.90x"},
        headers={"accept-language": "en"},
    )
    assert "Write the date as 1990, 1990-05 or 1990-05-17." in response.content.decode()
    assert response.context["callers"] is None


def test_a_surname_alone_lists_the_people_of_that_surname_in_any_script(people: Any) -> None:
    person, _code = make_person(names=JURAEV, birth_date=BirthDate(1990, 5, 17))
    make_person(names=[NameInput("Каримов", "Баҳром", "", PersonName.Script.TAJIK)])
    found = find_callers(user=people.operator, name="Джураев")
    assert [(c.public_id, c.found_by) for c in found] == [(person.public_id, "surname")]
    assert find_callers(user=people.operator, name="JURAEV", birth_date=BirthDate(1971)) == []
