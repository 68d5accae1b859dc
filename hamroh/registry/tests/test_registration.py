from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamroh.core.models import AuditEntry, Subdivision, User
from hamroh.core.roles import Role
from hamroh.identity.engine.records import BirthDate, PersonRecord
from hamroh.registry import selectors, services
from hamroh.registry.models import Document, Person, PersonName
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_names_documents_and_phones_are_encrypted_at_rest():
    person, _ = make_person()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT surname FROM registry_personname WHERE person_id = %s", [person.pk])
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT number FROM registry_document WHERE person_id = %s", [person.pk])
        number = cursor.fetchone()[0]
    assert stored and all("Раҳимов" not in s and "RAKHIMOV" not in s for s in stored)
    assert "400" not in number
    assert person.names.get(script="latin").surname == "RAKHIMOV"


def test_the_access_code_is_returned_once_and_only_its_hash_is_kept():
    person, code = make_person()
    assert len(code) == 19 and code.count("-") == 3
    assert person.access_code_hash == services.hash_access_code(code)
    assert code not in person.access_code_hash
    assert selectors.find_by_access_code(code.lower().replace("-", "")) == person
    assert selectors.find_by_access_code("AAAA-BBBB-CCCC-DDDD") is None


def test_the_public_id_carries_no_personal_data():
    person, _ = make_person()
    assert person.public_id.startswith("P") and len(person.public_id) == 12
    assert "1995" not in person.public_id


def test_a_passport_registered_to_another_person_is_refused():
    make_person(passport_number="401 555 777")
    with pytest.raises(ValidationError) as error:
        make_person(passport_number="401555777")
    assert "already registered to another person" in str(error.value)
    assert Document.objects.filter(number_index=services.blind_index("401555777")).count() == 1


def test_registration_without_consent_is_refused_and_nothing_is_stored():
    before = Person.objects.count()
    with pytest.raises(ValidationError):
        make_person(consent=False)
    assert Person.objects.count() == before


def test_a_district_outside_the_region_is_refused():
    with pytest.raises(ValidationError):
        make_person(district=Subdivision.objects.get(code="TJ-DU-SINO"))


def test_consent_is_recorded_with_its_time_and_text_version():
    person, _ = make_person()
    assert person.consent_version == services.CONSENT_VERSION
    assert person.consent_at is not None


def test_a_surname_change_keeps_the_old_name_in_the_history(people):
    person, _ = make_person(actor=people.recruiter)
    services.change_name(
        actor=people.recruiter,
        person=person,
        name=services.NameInput("KARIMOVA", "NIGORA", "", PersonName.Script.LATIN),
        changed_on=date(2026, 1, 5),
    )
    latin = list(person.names.filter(script="latin").order_by("id"))
    assert [n.surname for n in latin] == ["RAKHIMOV", "KARIMOVA"]
    assert latin[0].valid_until == date(2026, 1, 5) and latin[1].valid_until is None


def test_an_officer_reading_a_record_is_audited_and_the_person_sees_it(people):
    person, _ = make_person()
    selectors.access_person(user=people.recruiter, public_id=person.public_id)
    accesses = selectors.list_accesses_to_person(person)
    assert accesses.filter(action=AuditEntry.Action.READ, actor=people.recruiter).exists()
    assert "names" in accesses.first().fields


def test_people_of_another_agency_are_hidden_from_a_recruiter(people):
    operator_officer = User.objects.create(
        username="recruiter-mlme", agency=people.admin.agency, role=Role.RECRUITMENT_OFFICER
    )
    person, _ = make_person(actor=operator_officer)  # the operator agency registered them
    assert person.agency.code == "mlme"
    assert not selectors.list_people_for(people.recruiter).filter(pk=person.pk).exists()
    assert selectors.list_people_for(operator_officer).filter(pk=person.pk).exists()
    with pytest.raises(PermissionDenied):
        services.update_person(actor=people.recruiter, person=person, education="higher")


def test_a_caseworker_cannot_list_the_registry(people):
    with pytest.raises(PermissionDenied):
        selectors.list_people_for(people.caseworker)


def test_update_person_changes_the_passport_and_audits_the_field_names(people):
    person, _ = make_person()
    services.update_person(
        actor=people.recruiter,
        person=person,
        passport_number="499000111",
        passport_expiry_date=date(2035, 1, 1),
        birth_date=BirthDate(1995, 4),
    )
    person.refresh_from_db()
    assert person.birth_day is None and person.birth_month == 4
    assert selectors.passport_of(person).number == "499000111"
    entry = selectors.list_accesses_to_person(person).first()
    assert entry.fields == ["birth_date", "passport"]


def test_a_correction_request_is_stored_encrypted_and_answered(people):
    person, _ = make_person()
    correction = services.request_correction(person=person, text="My surname is Rahimov")
    services.resolve_correction(
        actor=people.recruiter, correction=correction, status="done", answer="Fixed"
    )
    correction.refresh_from_db()
    assert correction.status == "done" and correction.handled_by == people.recruiter


def test_identity_records_feed_the_engine_one_per_person_or_one_per_name():
    person, _ = make_person(passport_number="488777666")
    records = [r for r in selectors.iter_identity_records() if r.id == person.public_id]
    assert records == [
        PersonRecord(
            id=person.public_id,
            surname="RAKHIMOV",
            given_name="FARKHOD",
            birth_date=BirthDate(1995, 4, 12),
            sex="M",
            nationality="TJK",
            document_number="488777666",
        )
    ]
    every = [
        r for r in selectors.iter_identity_records(every_name=True) if r.id == person.public_id
    ]
    assert {r.surname for r in every} == {"RAKHIMOV", "Раҳимов"}


def test_phonetic_keys_match_across_scripts():
    assert services.name_key("Раҳимов") == services.name_key("RAKHIMOV")


def test_merging_keeps_both_histories_and_can_be_undone(people):
    from hamroh.recruitment.models import RosterEntry

    kept, _ = make_person(passport_number="477000001")
    twin, _ = make_person(
        passport_number="477000002",
        names=[services.NameInput("RAHIMOV", "FARHOD", "", PersonName.Script.LATIN)],
    )
    merge = services.merge_people(actor=people.recruiter, kept=kept, merged=twin)
    twin.refresh_from_db()
    assert twin.merged_into == kept
    assert {d.number for d in kept.documents.all()} == {"477000001", "477000002"}
    former = next(n for n in kept.names.all() if n.surname == "RAHIMOV")
    assert former.valid_until is not None  # findable, but not the current name
    assert not selectors.list_people_for(people.recruiter).filter(pk=twin.pk).exists()
    assert RosterEntry.objects.get(person=twin).valid_until < date.today()
    assert any("merge" in e.fields for e in selectors.list_accesses_to_person(twin))
    services.undo_merge(actor=people.recruiter, merge=merge)
    twin.refresh_from_db()
    assert twin.merged_into is None
    assert {d.number for d in twin.documents.all()} == {"477000002"}
    assert twin.names.get().valid_until is None


def test_a_record_already_merged_cannot_be_merged_again(people):
    kept, _ = make_person()
    twin, _ = make_person()
    services.merge_people(actor=people.recruiter, kept=kept, merged=twin)
    twin.refresh_from_db()
    with pytest.raises(ValidationError):
        services.merge_people(actor=people.recruiter, kept=kept, merged=twin)
