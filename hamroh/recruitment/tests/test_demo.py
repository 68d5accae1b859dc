import pytest
from django.core.exceptions import ImproperlyConfigured

from hamroh.recruitment import demo
from hamroh.recruitment.models import Application, Employer
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


def test_the_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo.load_demo_data()
