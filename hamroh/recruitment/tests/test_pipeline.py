from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from hamroh.core.models import AuditEntry
from hamroh.identity.engine.records import BirthDate
from hamroh.recruitment import selectors, services
from hamroh.recruitment.models import Application, Employer, RosterEntry, Step
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db
K = Step.Kind
TODAY = date.today()
TICKET = {
    "travel_date": TODAY + timedelta(days=5),
    "carrier": "Somon Air SZ 201",
    "travel_from": "Dushanbe",
    "travel_to": "Moscow",
}


def _selected(people, order):
    person, _ = make_person()
    application = services.apply_for_job(person=person, job_order=order)
    services.shortlist(actor=people.recruiter, application=application)
    services.send_shortlist(actor=people.recruiter, job_order=order, applications=[application])
    services.record_selection(actor=people.recruiter, application=application, selected=True)
    application.refresh_from_db()
    return application


def _ready(people, application):
    for kind, result, extra in [
        (K.LANGUAGE_TEST, "passed", {"score": 78}),
        (K.SKILLS_TEST, "passed", {"score": 85}),
        (K.ORIENTATION, "passed", {"certificate": "OR-1"}),
        (K.TRAINING, "passed", {"certificate": "TR-1"}),
        (K.MEDICAL, "passed", {}),
        (K.CONTRACT, "done", {}),
        (K.TICKET, "done", TICKET),
    ]:
        services.record_step(
            actor=people.recruiter,
            application=application,
            kind=kind,
            date=TODAY,
            result=result,
            **extra,
        )


def _depart(people, application, day=TODAY):
    return services.record_step(
        actor=people.recruiter,
        application=application,
        kind=K.DEPARTURE,
        date=day,
        crossing_point="Dushanbe airport",
    )


def test_registration_puts_the_person_on_the_roster_for_a_year():
    person, _ = make_person()
    entry = RosterEntry.objects.get(person=person)
    assert entry.valid_until == services.add_months(TODAY, 12)
    assert entry.occupation_id == "711" and entry.region_id == "TJ-SU"


def test_a_candidate_walks_from_application_to_return(people, order):
    application = _selected(people, order)
    assert [b.kind for b in services.blockers(application)] == [
        k for k, _ in services.REQUIRED_STEPS
    ]
    _ready(people, application)
    assert services.blockers(application) == []
    assert RosterEntry.objects.get(person=application.person).readiness == 4
    _depart(people, application)
    application.refresh_from_db()
    assert application.status == Application.Status.DEPARTED
    services.record_step(actor=people.recruiter, application=application, kind=K.RETURN, date=TODAY)
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    statuses = AuditEntry.objects.filter(
        object_type="recruitment.application",
        object_id=str(application.pk),
        action="update",
    )
    assert statuses.count() == 5  # shortlisted, sent, selected, departed, returned


def test_the_contract_keeps_the_terms_as_signed(people, order):
    application = _selected(people, order)
    _ready(people, application)
    contract = application.steps.get(kind=K.CONTRACT)
    assert contract.terms["wage"] == "85000" and contract.terms["contract_months"] == 12


def test_departure_is_blocked_until_every_required_step_is_done(people, order):
    application = _selected(people, order)
    with pytest.raises(ValidationError, match="Departure is blocked"):
        _depart(people, application)


def test_a_failed_medical_check_blocks_departure(people, order):
    application = _selected(people, order)
    _ready(people, application)
    services.record_step(
        actor=people.recruiter, application=application, kind=K.MEDICAL, date=TODAY, result="failed"
    )
    assert [b.kind for b in services.blockers(application)] == [K.MEDICAL]


def test_nobody_departs_twice_without_a_return(people, order, employer):
    application = _selected(people, order)
    _ready(people, application)
    _depart(people, application)
    second = services.create_job_order(
        actor=people.recruiter,
        **{f: getattr(order, f) for f in services.JOB_ORDER_FIELDS if f != "title"},
        title="Plasterer",
    )
    other = services.apply_for_job(person=application.person, job_order=second)
    services.shortlist(actor=people.recruiter, application=other)
    services.send_shortlist(actor=people.recruiter, job_order=second, applications=[other])
    services.record_selection(actor=people.recruiter, application=other, selected=True)
    _ready(people, other)
    with pytest.raises(ValidationError, match="not yet returned"):
        _depart(people, other)


def test_the_quota_cannot_be_exceeded(people, order):
    _selected(people, order)
    _selected(people, order)
    with pytest.raises(ValidationError, match="quota"):
        _selected(people, order)


def test_age_limits_of_the_job_order_are_enforced(people, order):
    person, _ = make_person(birth_date=BirthDate(TODAY.year - 50))
    with pytest.raises(ValidationError, match="aged 20 to 45"):
        services.apply_for_job(person=person, job_order=order)


def test_a_passport_expiring_too_soon_is_refused(people, order):
    person, _ = make_person(passport_expiry_date=TODAY + timedelta(days=200))
    with pytest.raises(ValidationError, match="passport valid until"):
        services.apply_for_job(person=person, job_order=order)


def test_an_expired_roster_entry_must_be_renewed_before_applying(people, order):
    person, _ = make_person()
    RosterEntry.objects.filter(person=person).update(valid_until=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="roster entry has expired"):
        services.apply_for_job(person=person, job_order=order)
    assert not selectors.list_roster_for(people.recruiter).filter(person=person).exists()
    services.put_on_roster(actor=None, person=person)
    assert services.apply_for_job(person=person, job_order=order).status == "applied"


def test_a_job_order_of_an_unvetted_employer_cannot_be_opened(people, employer, order):
    services.set_employer_status(
        actor=people.recruiter, employer=employer, status=Employer.Status.PENDING
    )
    values = {f: getattr(order, f) for f in services.JOB_ORDER_FIELDS}
    with pytest.raises(ValidationError, match="Vet the employer"):
        services.create_job_order(actor=people.recruiter, **values)


def test_suspending_an_employer_needs_a_reason_and_closes_its_job_orders(people, employer, order):
    with pytest.raises(ValidationError):
        services.set_employer_status(actor=people.recruiter, employer=employer, status="suspended")
    services.set_employer_status(
        actor=people.recruiter, employer=employer, status="suspended", note="Unpaid wages"
    )
    order.refresh_from_db()
    assert order.status == "closed"
    assert not selectors.open_job_orders().filter(pk=order.pk).exists()


def test_an_arrival_needs_a_departure(people, order):
    application = _selected(people, order)
    with pytest.raises(ValidationError, match="arrival follows a departure"):
        services.record_step(
            actor=people.recruiter, application=application, kind=K.ARRIVAL, date=TODAY
        )


def test_a_step_in_the_future_is_refused(people, order):
    application = _selected(people, order)
    with pytest.raises(ValidationError):
        services.record_step(
            actor=people.recruiter,
            application=application,
            kind=K.MEDICAL,
            date=TODAY + timedelta(days=3),
            result="passed",
        )


def test_the_roster_filters_by_occupation_region_score_and_readiness(people, order):
    application = _selected(people, order)
    _ready(people, application)
    roster = selectors.list_roster_for(
        people.recruiter,
        selectors.RosterFilter(
            occupation=order.occupation, region=application.person.region, min_score=80, readiness=4
        ),
    )
    assert list(roster.values_list("person_id", flat=True)) == [application.person_id]


def test_another_agency_cannot_record_steps(people, order):
    from django.core.exceptions import PermissionDenied

    application = _selected(people, order)
    with pytest.raises(PermissionDenied):
        services.record_step(
            actor=people.caseworker, application=application, kind=K.MEDICAL, date=TODAY
        )


def test_departures_and_returns_feed_the_statistics_without_names(people, order):
    from hamroh.stats.models import Departure

    application = _selected(people, order)
    _ready(people, application)
    _depart(people, application)
    record = Departure.objects.get(source="recruitment", person_ref=application.person.public_id)
    assert record.channel == "organised" and record.destination == "RUS"
    assert record.origin_region == "TJ-SU" and record.return_date is None
    services.record_step(actor=people.recruiter, application=application, kind=K.RETURN, date=TODAY)
    record.refresh_from_db()
    assert record.return_date == TODAY


def test_a_duplicate_with_applications_is_not_merged(people, order):
    from hamroh.registry.services import merge_people

    kept, _ = make_person()
    twin, _ = make_person()
    services.apply_for_job(person=twin, job_order=order)
    with pytest.raises(ValidationError, match="has applications"):
        merge_people(actor=people.recruiter, kept=kept, merged=twin)
