import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamroh.recruitment import services
from hamroh.recruitment.models import Application
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits(client):
    cache.clear()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_open_jobs_are_public_and_show_the_terms(client, order):
    page = client.get(reverse("recruitment:jobs")).content.decode()
    assert "Bricklayer" in page and "85000" in page


def test_applying_needs_the_access_code(client, order):
    response = client.post(reverse("recruitment:apply", args=[order.pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_person_applies_and_sees_the_next_step(client, order):
    person, code = make_person()
    client.post(reverse("registry:sign_in"), {"code": code})
    client.post(reverse("recruitment:apply", args=[order.pk]))
    assert Application.objects.get(person=person).status == "applied"
    page = client.get(reverse("recruitment:my_applications")).content.decode()
    assert "Wait for shortlisting" in page


def test_a_person_too_old_for_the_job_gets_a_clear_message(client, order):
    from hamroh.identity.engine.records import BirthDate

    _, code = make_person(birth_date=BirthDate(1960))
    client.post(reverse("registry:sign_in"), {"code": code})
    response = client.post(reverse("recruitment:apply", args=[order.pk]), follow=True)
    assert "aged 20 to 45" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["recruitment:desk", "recruitment:roster", "recruitment:job_orders"]
)
def test_desk_lists_take_a_fixed_number_of_queries(client_for, people, order, name):
    client = client_for(people.recruiter)
    for _ in range(2):
        person, _ = make_person()
        services.apply_for_job(person=person, job_order=order)
    client.get(reverse(name))  # reference data for the filters is built once per process
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    for _ in range(4):
        person, _ = make_person()
        services.apply_for_job(person=person, job_order=order)
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(more) == len(few)


def test_the_roster_shortlists_chosen_candidates_for_a_job_order(client_for, people, order):
    from hamroh.recruitment.models import RosterEntry

    person, _ = make_person()
    entry = RosterEntry.objects.get(person=person)
    client_for(people.recruiter).post(
        reverse("recruitment:roster_shortlist"), {"job_order": order.pk, "entry": [entry.pk]}
    )
    assert Application.objects.get(person=person, job_order=order).status == "shortlisted"


def test_a_statistician_may_not_open_the_recruitment_desk(client_for, people):
    assert client_for(people.statistician).get(reverse("recruitment:desk")).status_code == 403


def test_opening_a_candidate_is_audited_against_the_person(client_for, people, order):
    from hamroh.registry.selectors import list_accesses_to_person

    person, _ = make_person()
    application = services.apply_for_job(person=person, job_order=order)
    client_for(people.recruiter).get(reverse("recruitment:application", args=[application.pk]))
    assert list_accesses_to_person(person).filter(actor=people.recruiter, action="read").exists()
