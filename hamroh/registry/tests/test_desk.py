"""The desk pages of the registry: registering a person at an office (with the duplicate
check), and editing a record, names included."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from hamroh.core.crypto import blind_index
from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Role
from hamroh.registry.models import Document, Person, PersonName
from hamroh.registry.selectors import list_accesses_to_person
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def _form(**overrides):
    data = {
        "surname_cyrillic": "Ғафуров",
        "given_name_cyrillic": "Умед",
        "patronymic_cyrillic": "Саидович",
        "surname_latin": "GHAFUROV",
        "given_name_latin": "UMED",
        "sex": "M",
        "birth_date": "1990",
        "region": "TJ-KT",
        "district": "",
        "phone": "+992 90 444 5566",
        "passport_number": "B7654321",
        "passport_expiry_date": "2033-05-01",
        "education": "secondary",
        "occupation": "711",
        "languages": ["tg", "ru"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def _twin_form(**overrides):
    """The person of ``make_person`` as another officer would type them."""
    values = {
        "surname_cyrillic": "Рахимов",
        "given_name_cyrillic": "Фарход",
        "patronymic_cyrillic": "Бахтиёрович",
        "surname_latin": "RAHIMOV",
        "given_name_latin": "FARHOD",
        "birth_date": "12.04.1995",
        "region": "TJ-SU",
        "passport_number": "",
        "passport_expiry_date": "",
    }
    values.update(overrides)
    return _form(**values)


def _other_officer(people):
    """A recruitment officer of another office: sees the portal pool, not aoe's people."""
    agency = Agency.objects.create(
        code="aoe-kh",
        name_en="Khatlon recruitment office",
        kind=Agency.Kind.MINISTRY,
        country=people.recruiter.agency.country,
    )
    return User.objects.create_user(
        username="recruiter-kh", password="x", agency=agency, role=Role.RECRUITMENT_OFFICER
    )


def english(client):
    client.cookies["django_language"] = "en"
    return client


def _code_on(page: str) -> str:
    return page.split('data-testid="access-code"><code>')[1].split("<")[0]


def test_an_officer_registers_a_walk_in_and_sees_the_code_once(client_for, people):
    client = english(client_for(people.recruiter))
    response = client.post(reverse("registry:register_at_desk"), _form())
    assert response.status_code == 302
    person = Person.objects.get(public_id=response["Location"].split("/")[-3])
    assert person.source == Person.Source.DESK
    assert person.agency == people.recruiter.agency and person.created_by == people.recruiter
    assert (person.birth_year, person.birth_month, person.birth_day) == (1990, None, None)
    assert person.consent_at is not None and person.consent_version == "2026-11"
    assert {n.script for n in person.names.all()} == {"tg-cyrl", "latin"}
    assert person.names.get(script="latin").source == PersonName.Source.PASSPORT
    assert Document.objects.get(person=person).number_index == blind_index("B7654321")
    # Encrypted at rest: the stored columns do not hold the name or the passport.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT surname FROM registry_personname WHERE person_id = %s", [person.pk])
        assert all("GHAFUROV" not in row[0] for row in cursor.fetchall())
        cursor.execute("SELECT number FROM registry_document WHERE person_id = %s", [person.pk])
        assert "7654321" not in cursor.fetchone()[0]
    entry = list_accesses_to_person(person).get(
        action=AuditEntry.Action.CREATE, actor=people.recruiter
    )
    assert entry.actor == people.recruiter and "consent" in entry.fields
    assert "GHAFUROV" not in str(entry.fields)
    # The code is shown once, and it opens the record on the portal.
    page = client.get(response["Location"]).content.decode()
    code = _code_on(page)
    assert len(code) == 19 and person.public_id in page
    again = client.get(response["Location"])
    assert again.status_code == 302 and code not in again.content.decode()
    assert again["Location"] == reverse("registry:person", args=[person.public_id])
    from hamroh.registry.selectors import find_by_access_code

    assert find_by_access_code(code) == person
    record = client.get(reverse("registry:person", args=[person.public_id])).content.decode()
    assert "given in person at an office" in record


def test_the_form_has_csrf_and_puts_nothing_personal_in_the_url(client_for, people):
    client = english(client_for(people.recruiter))
    page = client.get(reverse("registry:register_at_desk")).content.decode()
    assert "csrfmiddlewaretoken" in page and 'method="post"' in page
    response = client.post(reverse("registry:register_at_desk"), _form())
    assert "GHAFUROV" not in response["Location"] and "1990" not in response["Location"]


def test_a_likely_duplicate_is_shown_and_must_be_confirmed(client_for, people):
    existing, _ = make_person(passport_number="400999111")
    client = english(client_for(people.recruiter))
    before = Person.objects.count()
    response = client.post(reverse("registry:register_at_desk"), _twin_form())
    assert response.status_code == 200 and Person.objects.count() == before
    page = response.content.decode()
    assert 'data-testid="duplicates"' in page and existing.public_id in page
    assert reverse("registry:person", args=[existing.public_id]) in page
    assert response.context["duplicates"][0].decision == "match"
    # Confirming a different person registers them.
    confirmed = _twin_form(seen=existing.public_id, different_person="yes")
    response = client.post(reverse("registry:register_at_desk"), confirmed)
    assert response.status_code == 302 and Person.objects.count() == before + 1


def test_confirming_does_not_cover_records_not_shown(client_for, people):
    existing, _ = make_person()
    client = english(client_for(people.recruiter))
    response = client.post(
        reverse("registry:register_at_desk"),
        _twin_form(seen="PAAAAAAAAAAA", different_person="yes"),
    )
    assert response.status_code == 200 and existing.public_id in response.content.decode()
    assert response.context["form"].non_field_errors()


def test_a_person_of_another_agency_is_not_shown_as_a_duplicate(client_for, people):
    existing, _ = make_person(actor=people.recruiter)  # belongs to aoe, not to aoe-kh
    other = _other_officer(people)
    response = english(client_for(other)).post(reverse("registry:register_at_desk"), _twin_form())
    assert response.status_code == 302
    assert existing.public_id not in response.content.decode()


def test_a_registered_passport_is_an_error_on_its_field(client_for, people):
    make_person(passport_number="B7654321")
    client = english(client_for(people.recruiter))
    before = Person.objects.count()
    response = client.post(
        reverse("registry:register_at_desk"), _form(passport_number="b 765 4321")
    )
    assert response.status_code == 200 and Person.objects.count() == before
    errors = response.context["form"].errors
    assert "already registered to another person" in errors["passport_number"][0]


def test_errors_are_translated_and_located(client_for, people):
    client = english(client_for(people.recruiter))
    client.cookies["django_language"] = "tg"
    data = _form(birth_date="31.02.1990", consent="")
    response = client.post(reverse("registry:register_at_desk"), data, HTTP_ACCEPT_LANGUAGE="tg")
    errors = response.context["form"].errors
    assert set(errors) == {"birth_date", "consent"}
    assert errors["birth_date"][0].startswith("Санаи таваллудро")
    assert "розигии шахс" in errors["consent"][0]


@pytest.mark.parametrize("persona", ["caseworker", "operator", "statistician"])
def test_roles_without_the_capability_may_not_register_or_edit(client_for, people, persona):
    person, _ = make_person()
    client = client_for(getattr(people, persona))
    assert client.get(reverse("registry:register_at_desk")).status_code == 403
    assert client.post(reverse("registry:register_at_desk"), _form()).status_code == 403
    assert client.get(reverse("registry:edit", args=[person.public_id])).status_code == 403
    response = client.post(reverse("registry:edit", args=[person.public_id]), {"phone": "1"})
    assert response.status_code == 403


def test_another_agencys_officer_may_not_edit_the_record(client_for, people):
    person, _ = make_person(actor=people.recruiter)
    other = _other_officer(people)
    client = english(client_for(other))
    assert client.get(reverse("registry:edit", args=[person.public_id])).status_code == 404
    name = {"script": "latin", "surname": "X", "given_name": "Y", "source": "passport"}
    assert (
        client.post(reverse("registry:change_name", args=[person.public_id]), name).status_code
        == 404
    )
    assert client.get(reverse("registry:registered", args=[person.public_id])).status_code == 404


def _edit_data(person, **overrides):
    data = {
        "phone": person.phones.first().number,
        "passport_number": person.documents.first().number,
        "passport_expiry_date": person.documents.first().expiry_date.isoformat(),
        "education": person.education,
        "occupation": person.occupation.code,
        "languages": person.languages,
        "sex": person.sex,
        "birth_date": person.birth_date_text,
        "region": person.region.code,
        "district": person.district.code if person.district else "",
    }
    data.update(overrides)
    return data


def _updates(person):
    return list(
        list_accesses_to_person(person).filter(action=AuditEntry.Action.UPDATE).order_by("seq")
    )


def test_an_officer_edits_the_phone_and_skills_and_the_service_audits_field_names(
    client_for, people
):
    person, _ = make_person(actor=people.recruiter)
    client = english(client_for(people.recruiter))
    page = client.get(reverse("registry:edit", args=[person.public_id])).content.decode()
    assert "csrfmiddlewaretoken" in page and person.phones.first().number in page
    response = client.post(
        reverse("registry:edit", args=[person.public_id]),
        _edit_data(person, phone="+992 93 000 1111", education="higher", languages=["tg", "en"]),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert [p.number for p in person.phones.all()] == ["+992 93 000 1111"]
    assert person.education == "higher" and person.languages == ["tg", "en"]
    (entry,) = _updates(person)
    assert set(entry.fields) == {"phone", "education", "languages"}
    assert "1111" not in str(entry.fields)
    # Saving again without a change writes no change.
    client.post(reverse("registry:edit", args=[person.public_id]), _edit_data(person))
    assert len(_updates(person)) == 1


def test_a_new_passport_replaces_the_old_and_a_taken_one_is_refused(client_for, people):
    person, _ = make_person(actor=people.recruiter)
    make_person(passport_number="B1112223")
    client = english(client_for(people.recruiter))
    url = reverse("registry:edit", args=[person.public_id])
    response = client.post(url, _edit_data(person, passport_number="B1112223"))
    assert "already registered" in response.context["form"].errors["passport_number"][0]
    response = client.post(url, _edit_data(person, passport_number=""))
    assert "passport_number" in response.context["form"].errors
    response = client.post(
        url, _edit_data(person, passport_number="C5556667", passport_expiry_date="2036-01-01")
    )
    assert response.status_code == 302
    passport = Document.objects.get(person=person)
    assert passport.number == "C5556667" and passport.expiry_date == date(2036, 1, 1)
    assert _updates(person)[-1].fields == ["passport"]


def test_a_name_change_keeps_the_former_name(client_for, people):
    person, _ = make_person(actor=people.recruiter)
    client = english(client_for(people.recruiter))
    response = client.post(
        reverse("registry:change_name", args=[person.public_id]),
        {
            "script": "latin",
            "surname": "RAKHIMZODA",
            "given_name": "",  # kept from the current Latin name
            "source": "passport",
            "changed_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    latin = list(person.names.filter(script="latin").order_by("id"))
    assert [(n.surname, n.given_name, n.valid_until) for n in latin] == [
        ("RAKHIMOV", "FARKHOD", date(2026, 1, 5)),
        ("RAKHIMZODA", "FARKHOD", None),
    ]
    assert _updates(person)[-1].fields == ["names"]
    page = client.get(reverse("registry:person", args=[person.public_id])).content.decode()
    assert "RAKHIMZODA" in page and "RAKHIMOV" in page
    # Still found under the former name.
    found = client.post(reverse("registry:people"), {"surname": "Rakhimov"}).content.decode()
    assert person.public_id in found


def test_a_name_change_with_a_missing_field_is_a_located_error(client_for, people):
    person, _ = make_person(actor=people.recruiter)
    response = client_for(people.recruiter).post(
        reverse("registry:change_name", args=[person.public_id]),
        {"script": "latin", "surname": "", "given_name": "X", "source": "passport"},
    )
    assert response.status_code == 200
    assert "surname" in response.context["name_form"].errors
    # No Russian Cyrillic name yet, so there is no given name to keep.
    response = english(client_for(people.recruiter)).post(
        reverse("registry:change_name", args=[person.public_id]),
        {"script": "ru-cyrl", "surname": "Рахимов", "given_name": "", "source": "office"},
    )
    assert response.context["name_form"].errors["given_name"] == ["Enter the given name."]
    assert person.names.count() == 2


def test_the_people_list_and_the_record_link_to_the_new_pages(client_for, people):
    person, _ = make_person(actor=people.recruiter)
    client = english(client_for(people.recruiter))
    listing = client.get(reverse("registry:people")).content.decode()
    assert reverse("registry:register_at_desk") in listing
    record = client.get(reverse("registry:person", args=[person.public_id])).content.decode()
    assert reverse("registry:edit", args=[person.public_id]) in record


def test_the_duplicate_check_takes_a_fixed_number_of_queries(client_for, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = english(client_for(people.recruiter))
    make_person()
    with CaptureQueriesContext(connection) as few:
        response = client.post(reverse("registry:register_at_desk"), _twin_form())
    assert len(response.context["duplicates"]) == 1
    for _ in range(4):
        make_person()
    with CaptureQueriesContext(connection) as more:
        response = client.post(reverse("registry:register_at_desk"), _twin_form())
    assert len(response.context["duplicates"]) == 5
    assert len(more) == len(few)


def test_the_duplicate_check_finds_a_surname_after_the_reform(people):
    from hamroh.identity.engine.records import BirthDate
    from hamroh.registry.selectors import find_likely_duplicates
    from hamroh.registry.services import NameInput

    existing, _ = make_person(actor=people.recruiter)  # Раҳимов Фарҳод, 1995-04-12
    found = find_likely_duplicates(
        user=people.recruiter,
        names=[NameInput("Раҳимзода", "Фарҳод", "Бахтиёрович", PersonName.Script.TAJIK)],
        birth_date=BirthDate(1995, 4, 12),
        sex="M",
    )
    assert [d.person for d in found] == [existing]
