"""Screening runs in the background, the reviewer queue and what a decision sets off."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamroh.core.models import AuditEntry
from hamroh.screening import services
from hamroh.screening.models import (
    MigrantMessage,
    Notification,
    PossibleMatch,
    ScreeningRun,
)

from .conftest import DEMO, ENTRIES, list_csv

COHORT = (
    "id,surname,given_name,birth_date,document_number,consent,contact,language\n"
    "P-1,Ҷӯраев,Ҷамшед,1990-05-17,400123456,yes,+992900000001,ru\n"
    "P-2,Каримов,Фаррух,1985-11-02,,no,,\n"
    "P-3,Саидов,Умед,1999-09-09,400999000,yes,+992900000003,tg\n"
).encode()


@pytest.fixture
def screened(people, entry_bans, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.screen_cohort(actor=people.reviewer, file_name="week.csv", data=COHORT)
    run.refresh_from_db()
    return run


def match_for(run, subject):
    return PossibleMatch.objects.get(run=run, subject_ref=f"cohort:{subject}")


def test_a_cohort_run_screens_everyone_and_queues_the_possible_matches(screened):
    assert screened.status == ScreeningRun.Status.DONE
    assert (screened.total, screened.screened, screened.raised) == (3, 3, 2)
    first = match_for(screened, "P-1")
    assert first.entry.entry_id == "EB-1" and first.decision == "match"
    assert "ҷ" in first.reasons or "dzh" in first.reasons or "equal" in first.reasons
    assert first.person_values["surname"] == "Ҷӯраев"
    assert screened.subjects == ""  # nothing personal stays on the run once it is done


def test_the_run_page_reports_progress_and_polls_until_done(people, client_for, screened):
    client = client_for(people.reviewer)
    page = client.get(f"/desk/screening/runs/{screened.pk}/").content.decode()
    assert 'data-testid="run-raised">2<' in page
    assert "hx-trigger" not in page  # finished: no more polling
    screened.status = ScreeningRun.Status.RUNNING
    screened.save()
    fragment = client.get(f"/desk/screening/runs/{screened.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_a_rejected_pair_is_not_raised_again_for_the_same_list_version(
    people, entry_bans, screened, django_capture_on_commit_callbacks
):
    services.reject_match(
        actor=people.reviewer,
        match=match_for(screened, "P-1"),
        reason="Different father's name on the passport copy",
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.screen_cohort(actor=people.reviewer, file_name="week.csv", data=COHORT)
    again.refresh_from_db()
    assert not PossibleMatch.objects.filter(run=again, subject_ref="cohort:P-1").exists()
    assert again.suppressed == 2  # the rejected pair, and the pair still waiting from before
    services.load_list(
        actor=people.reviewer,
        restriction_list=entry_bans,
        file_name="bans-2.csv",
        data=list_csv(*ENTRIES),
    )
    with django_capture_on_commit_callbacks(execute=True):
        third = services.screen_cohort(actor=people.reviewer, file_name="week.csv", data=COHORT)
    assert PossibleMatch.objects.filter(run=third, subject_ref="cohort:P-1").exists()


def test_confirming_notifies_the_representation_and_the_consenting_migrant(people, screened):
    match = services.confirm_match(
        actor=people.reviewer, match=match_for(screened, "P-1"), reason="Passport number equal"
    )
    assert match.status == "confirmed" and match.reviewer == people.reviewer
    agencies = set(Notification.objects.filter(match=match).values_list("agency__code", flat=True))
    assert agencies == {"mlme-mow", "mlme-ekb"}  # the representations in Russia
    message = MigrantMessage.objects.get(match=match)
    assert message.contact == "+992900000001" and message.language == "ru"
    assert "Entry bans (test)" in message.body
    assert "Appeal to the court within three months." in message.body
    audit = AuditEntry.objects.filter(
        object_type="screening.possiblematch", action="update"
    ).first()
    assert audit is not None and "migrant_message" in audit.fields


def test_no_message_goes_to_a_person_who_did_not_consent(people, screened):
    match = services.confirm_match(
        actor=people.reviewer, match=match_for(screened, "P-2"), reason="Same person"
    )
    assert not MigrantMessage.objects.filter(match=match).exists()
    assert Notification.objects.filter(match=match).exists()


def test_a_decision_needs_a_reason_and_is_taken_once(people, screened):
    match = match_for(screened, "P-1")
    with pytest.raises(ValidationError):
        services.reject_match(actor=people.reviewer, match=match, reason="  ")
    services.reject_match(actor=people.reviewer, match=match, reason="Different person")
    with pytest.raises(ValidationError):
        services.confirm_match(actor=people.reviewer, match=match, reason="Changed my mind")


def test_only_reviewers_decide(people, screened):
    with pytest.raises(PermissionDenied):
        services.confirm_match(
            actor=people.caseworker, match=match_for(screened, "P-1"), reason="x"
        )


def test_a_reviewer_of_another_agency_does_not_see_the_match(aoe_reviewer, client_for, screened):
    match = match_for(screened, "P-1")
    response = client_for(aoe_reviewer).get(f"/desk/screening/matches/{match.pk}/")
    assert response.status_code == 404


def test_the_reviewer_compares_side_by_side_and_the_read_is_audited(people, client_for, screened):
    match = match_for(screened, "P-1")
    client = client_for(people.reviewer)
    page = client.get(f"/desk/screening/matches/{match.pk}/").content.decode()
    assert "Ҷӯраев" in page and "Джураев" in page and match.reasons in page
    assert AuditEntry.objects.filter(
        object_type="screening.possiblematch", object_id=str(match.pk), action="read"
    ).exists()
    response = client.post(
        f"/desk/screening/matches/{match.pk}/",
        {"decision": "reject", "reason": "Different patronymic"},
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.review_reason) == ("rejected", "Different patronymic")


def test_the_queue_lists_matches_in_a_fixed_number_of_queries(people, client_for, screened):
    client = client_for(people.reviewer)
    client.get("/desk/screening/queue/")
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/screening/queue/")
    PossibleMatch.objects.bulk_create(
        [
            PossibleMatch(
                run=screened,
                entry=match_for(screened, "P-1").entry,
                subject_ref=f"cohort:X{n}",
                score=5.0,
                decision="review",
                reasons="surname equal",
            )
            for n in range(10)
        ]
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/desk/screening/queue/").content.decode()
    assert len(many) == len(few)
    assert "Джураев" not in page  # the queue itself shows no names


def test_figures_count_per_list_and_per_week(people, client_for, screened):
    services.confirm_match(actor=people.reviewer, match=match_for(screened, "P-1"), reason="Same")
    services.reject_match(actor=people.reviewer, match=match_for(screened, "P-2"), reason="Not")
    from hamroh.screening.selectors import screening_figures

    figures = screening_figures(people.reviewer)
    row = next(r for r in figures.per_list if r["name"] == "Entry bans (test)")
    assert (row["screened"], row["matched"], row["confirmed"], row["rejected"]) == (3, 2, 1, 1)
    assert figures.per_week[0]["screened"] == 3 and figures.per_week[0]["confirmed"] == 1
    assert client_for(people.reviewer).get("/desk/screening/figures/").status_code == 200


def test_one_person_typed_in_by_the_officer_is_screened(
    people, entry_bans, client_for, django_capture_on_commit_callbacks
):
    client = client_for(people.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/desk/screening/screen/",
            {
                "what": "person",
                "person-surname": "Jurayev",
                "person-given_name": "Jamshed",
                "person-birth_date": "1990-05-17",
            },
        )
    run = ScreeningRun.objects.get(scope="person")
    assert response["Location"].endswith(f"/desk/screening/runs/{run.pk}/")
    run.refresh_from_db()
    assert run.status == "done" and run.raised == 1


def test_a_caseworker_reads_the_notice_of_a_confirmed_ban(people, client_for, screened):
    services.confirm_match(actor=people.reviewer, match=match_for(screened, "P-1"), reason="Same")
    client = client_for(people.caseworker)
    notice = Notification.objects.get(agency=people.caseworker.agency)
    assert "Entry bans (test)" in client.get("/desk/screening/notifications/").content.decode()
    page = client.get(f"/desk/screening/notifications/{notice.pk}/").content.decode()
    assert "Ҷӯраев" in page
    client.post(f"/desk/screening/notifications/{notice.pk}/")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_demo_loads_a_list_a_screened_cohort_and_pending_matches(people):
    from hamroh.screening.demo import load_demo_data

    summary = load_demo_data()
    assert "300 entries" in summary and "36 departing people" in summary
    pending = PossibleMatch.objects.filter(status="pending")
    assert pending.count() >= 10
    assert pending.filter(decision="review").exists()
    assert load_demo_data() == "demo list already loaded"
    assert (DEMO / "departures.csv").exists()


def test_the_registry_is_screened_through_its_identity_records(
    people, entry_bans, monkeypatch, django_capture_on_commit_callbacks
):
    from hamroh.identity.engine import BirthDate, PersonRecord
    from hamroh.registry import selectors as registry_selectors

    records = [
        PersonRecord(
            id="71", surname="Juraev", given_name="Jamshed", birth_date=BirthDate(1990, 5, 17)
        ),
        PersonRecord(
            id="72", surname="Odinaev", given_name="Sino", birth_date=BirthDate(1980, 1, 1)
        ),
    ]
    monkeypatch.setattr(registry_selectors, "iter_identity_records", lambda **kwargs: iter(records))
    assert services.registry_available()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.screen_registry(actor=people.reviewer)
    run.refresh_from_db()
    assert (run.status, run.total, run.raised) == ("done", 2, 1)
    match = PossibleMatch.objects.get(run=run)
    assert match.subject_ref == "registry:71"
    assert match.person_values["birth_date"] == "1990-05-17"


def test_an_entry_whose_restriction_has_ended_is_not_raised(
    people, entry_bans, django_capture_on_commit_callbacks
):
    ended = ENTRIES[0].replace("2024-01-10,2029-01-10", "2019-01-10,2021-01-10")
    services.load_list(
        actor=people.reviewer,
        restriction_list=entry_bans,
        file_name="bans-ended.csv",
        data=list_csv(ended, *ENTRIES[1:]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.screen_cohort(actor=people.reviewer, file_name="week.csv", data=COHORT)
    run.refresh_from_db()
    assert not PossibleMatch.objects.filter(run=run, subject_ref="cohort:P-1").exists()
    assert PossibleMatch.objects.filter(run=run, subject_ref="cohort:P-2").exists()
    assert run.suppressed == 1
