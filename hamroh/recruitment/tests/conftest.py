from datetime import date, timedelta

import pytest

from hamroh.core.models import Country, Occupation, Sector
from hamroh.recruitment import services
from hamroh.recruitment.models import Employer, JobOrder


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Contract scans are written under a throw-away data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def employer(people):
    employer = services.create_employer(
        actor=people.recruiter,
        name="ООО «СтройИнвест»",
        country=Country.objects.get(alpha3="RUS"),
        tax_id="7701234567",
        sector=Sector.objects.get(code="F"),
        region="Moscow",
    )
    services.set_employer_status(
        actor=people.recruiter, employer=employer, status=Employer.Status.VETTED
    )
    return employer


@pytest.fixture
def order(people, employer) -> JobOrder:
    today = date.today()
    return services.create_job_order(
        actor=people.recruiter,
        employer=employer,
        title="Bricklayer",
        occupation=Occupation.objects.get(code="711"),
        destination_region="Moscow Oblast",
        quota=2,
        wage=85000,
        currency="RUB",
        hours_per_week=40,
        housing=JobOrder.Housing.PROVIDED,
        contract_months=12,
        min_age=20,
        max_age=45,
        passport_valid_months=18,
        requirements="",
        valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=60),
    )
