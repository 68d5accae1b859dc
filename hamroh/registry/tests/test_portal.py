import pytest
from django.core.cache import cache
from django.urls import reverse

from hamroh.registry.contracts import PORTAL_SESSION_KEY
from hamroh.registry.models import CorrectionRequest, Person
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def _form(**overrides):
    data = {
        "surname_cyrillic": "Назарова",
        "given_name_cyrillic": "Мадина",
        "patronymic_cyrillic": "Саидовна",
        "surname_latin": "NAZAROVA",
        "given_name_latin": "MADINA",
        "sex": "F",
        "birth_date": "1998-07-02",
        "region": "TJ-KT",
        "district": "",
        "phone": "+992 90 111 2233",
        "passport_number": "A1234567",
        "passport_expiry_date": "2032-05-01",
        "education": "higher",
        "occupation": "512",
        "languages": ["tg", "ru"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_migrant_registers_and_sees_the_code_exactly_once(client):
    response = client.post(reverse("registry:register"), _form())
    assert response.status_code == 302
    page = client.get(reverse("registry:welcome")).content.decode()
    person = Person.objects.get(pk=client.session[PORTAL_SESSION_KEY])
    code = page.split('data-testid="access-code"><code>')[1].split("<")[0]
    assert person.access_code_hash and len(code) == 19
    again = client.get(reverse("registry:welcome"))
    assert again.status_code == 302 and code not in again.content.decode()


def test_registration_without_consent_shows_a_field_error(client):
    data = _form()
    del data["consent"]
    response = client.post(reverse("registry:register"), data)
    assert response.status_code == 200
    assert not Person.objects.filter(consent_version="").exists()
    assert "consent" in response.context["form"].errors


def test_a_passport_already_registered_is_a_located_error(client):
    make_person(passport_number="A1234567")
    response = client.post(reverse("registry:register"), _form())
    assert "passport_number" in response.context["form"].errors


def test_the_access_code_opens_the_record_and_the_list_of_accesses(client, people):
    person, code = make_person()
    from hamroh.registry import selectors

    selectors.access_person(user=people.recruiter, public_id=person.public_id)
    response = client.post(reverse("registry:sign_in"), {"code": code})
    assert response.status_code == 302
    page = client.get(reverse("registry:me")).content.decode()
    assert person.public_id in page and "RAKHIMOV" in page
    assert "recruiter (aoe)" in page


def test_a_wrong_code_is_refused_and_guessing_is_rate_limited(client):
    for _ in range(10):
        response = client.post(reverse("registry:sign_in"), {"code": "AAAA-BBBB-CCCC-DDDD"})
        assert response.status_code == 200
    response = client.post(reverse("registry:sign_in"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 429


def test_my_record_without_a_code_sends_to_the_code_page(client):
    response = client.get(reverse("registry:me"))
    assert response["Location"] == reverse("registry:sign_in")


def test_a_person_asks_for_a_correction(client):
    person, code = make_person()
    client.post(reverse("registry:sign_in"), {"code": code})
    client.post(reverse("registry:ask_correction"), {"text": "Birth date is 1995-04-21"})
    assert CorrectionRequest.objects.get(person=person).text == "Birth date is 1995-04-21"


def test_no_personal_data_in_portal_urls(client):
    client.post(reverse("registry:register"), _form())
    response = client.get(reverse("registry:me"))
    assert "NAZAROVA" not in response.request["PATH_INFO"]


def test_the_people_list_takes_a_fixed_number_of_queries(client_for, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people.recruiter)
    for _ in range(3):
        make_person()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry:people"))
    for _ in range(5):
        make_person()
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("registry:people"))
    assert response.status_code == 200
    assert len(more) == len(few)


def test_a_caseworker_may_not_open_the_registry(client_for, people):
    response = client_for(people.caseworker).get(reverse("registry:people"))
    assert response.status_code == 403


def test_finding_a_person_by_name_uses_post_and_any_script(client_for, people):
    person, _ = make_person()
    response = client_for(people.recruiter).post(
        reverse("registry:people"), {"surname": "Rakhimov"}
    )
    assert person.public_id in response.content.decode()


def test_the_openapi_schema_still_generates(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/registry/people/" in response.content
    assert b"/api/v1/recruitment/applications/{id}/steps/" in response.content


def test_an_officer_merges_a_duplicate_from_the_record_page(client_for, people):
    kept, _ = make_person()
    twin, _ = make_person()
    client = client_for(people.recruiter)
    client.post(
        reverse("registry:merge", args=[kept.public_id]), {"duplicate": twin.public_id.lower()}
    )
    twin.refresh_from_db()
    assert twin.merged_into == kept
    merge = kept.merges_kept.get()
    client.post(reverse("registry:undo_merge", args=[kept.public_id, merge.pk]))
    twin.refresh_from_db()
    assert twin.merged_into is None


def test_the_menus_lead_to_registration_jobs_and_the_desk_pages(client_for, people, client):
    desk = client_for(people.recruiter).get("/desk/").content.decode()
    assert "/desk/recruitment/" in desk and "/desk/registry/people/" in desk
    portal = client.get("/").content.decode()
    assert "/registry/register/" in portal and "/recruitment/jobs/" in portal
