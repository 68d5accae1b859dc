import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from hamroh.recruitment import demo
from hamroh.recruitment.models import Application, Employer, Step
from hamroh.registry.models import Person
from hamroh.stats.models import Departure

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_stage_of_the_pipeline_and_loads_once():
    demo.load_demo_data()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    assert Person.objects.count() >= 50
    assert Departure.objects.filter(source="recruitment", return_date__isnull=False).count() == 1
    counts = (Employer.objects.count(), Application.objects.count())
    demo.load_demo_data()
    assert (Employer.objects.count(), Application.objects.count()) == counts


def test_demo_candidates_who_left_travelled_on_their_ticket(client_for, people):
    demo.load_demo_data()
    departures = Step.objects.filter(kind=Step.Kind.DEPARTURE)
    assert departures.count() == 5
    for departure in departures:
        ticket = departure.application.steps.get(kind=Step.Kind.TICKET)
        assert ticket.travel_date == departure.date and ticket.date <= departure.date
        assert ticket.carrier and ticket.travel_from and ticket.travel_to
    page = client_for(people.recruiter).get(reverse("recruitment:desk")).content.decode()
    # On the way: four abroad and two ready to leave (the one back home has left the pipeline).
    assert page.count('data-testid="ticket"') == 6


def test_the_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo.load_demo_data()
