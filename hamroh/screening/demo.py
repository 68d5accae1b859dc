"""Demo screening data: an entry-ban list, a departure cohort screened against it, and the
possible matches waiting in the reviewer queue.

The files are in ``hamroh/screening/demo/`` (made by ``make_demo_files.py``); a new user can
also load them through the desk. Never loaded in production mode.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hamroh.core.models import User
from hamroh.screening import services
from hamroh.screening.models import PossibleMatch, RestrictionList, ScreeningRun

DEMO_DIR = Path(__file__).resolve().parent / "demo"
LIST_FILE = DEMO_DIR / "entry_bans.csv"
COHORT_FILE = DEMO_DIR / "departures.csv"
LIST_NAME = "Entry bans: Russian Federation (demo)"
APPEAL_ROUTE = (
    "An entry ban can be contested in a Russian court within three months of learning of it; "
    "the MLME representation in Moscow helps with the application free of charge."
)


def load_demo_data() -> str:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo data is never loaded in production mode.")
    reviewer = User.objects.select_related("agency").get(username="reviewer")
    restriction_list = RestrictionList.objects.filter(name=LIST_NAME).first()
    if restriction_list is not None and restriction_list.versions.exists():
        return "demo list already loaded"
    if restriction_list is None:
        restriction_list = services.create_list(
            actor=reviewer,
            name=LIST_NAME,
            kind=RestrictionList.Kind.ENTRY_BAN,
            country_code="RUS",
            appeal_route=APPEAL_ROUTE,
        )
    version = services.load_list(
        actor=reviewer,
        restriction_list=restriction_list,
        file_name=LIST_FILE.name,
        data=LIST_FILE.read_bytes(),
    )
    run = services.screen_cohort(
        actor=reviewer, file_name=COHORT_FILE.name, data=COHORT_FILE.read_bytes(), enqueue=False
    )
    run = services.execute_run(run.pk)
    pending = PossibleMatch.objects.filter(run=run, status=PossibleMatch.Review.PENDING).count()
    assert run.status == ScreeningRun.Status.DONE
    return (
        f"list of {version.entry_count} entries; {run.total} departing people screened, "
        f"{pending} possible matches waiting for review"
    )
