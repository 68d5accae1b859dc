from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hamroh.assistance import selectors, services
from hamroh.assistance.demo import load_partners
from hamroh.assistance.models import Case, CaseType, Partner, Referral
from hamroh.assistance.tests.factories import PNG, report, submit
from hamroh.core.models import Agency, AuditEntry

pytestmark = pytest.mark.django_db


def ala() -> Agency:
    return Agency.objects.get(code="mlme-ala")


def test_a_caseworker_sees_a_new_report_in_the_unassigned_queue(people: Any) -> None:
    case = submit().case
    assert list(selectors.queue(people.caseworker, "unassigned")) == [case]
    assert list(selectors.queue(people.caseworker_ala, "unassigned")) == []


def test_queue_pages_take_a_fixed_number_of_queries(client_for: Any, people: Any) -> None:
    client = client_for(people.caseworker)
    for _ in range(3):
        submit()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/desk/assistance/?queue=team").status_code == 200
    for _ in range(7):
        case = submit().case
        services.assign_case(actor=people.caseworker, case=case, assignee=people.supervisor)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/desk/assistance/?queue=team")
    assert len(response.context["page"].rows) == 10
    assert len(many) == len(few)


def test_another_representation_cannot_open_the_case(client_for: Any, people: Any) -> None:
    case = submit().case
    response = client_for(people.caseworker_ala).get(f"/desk/assistance/cases/{case.pk}/")
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).reporter_name not in response.content.decode()


def test_reading_a_case_is_audited_with_field_names_only(client_for: Any, people: Any) -> None:
    case = submit().case
    response = client_for(people.caseworker).get(f"/desk/assistance/cases/{case.pk}/")
    assert "Ҷӯраев Ҷамшед" in response.content.decode()
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="read").latest("seq")
    assert entry.actor == people.caseworker
    assert "reporter_name" in entry.fields
    assert "Ҷӯраев" not in str(entry.fields)


def test_roles_without_case_work_are_refused(client_for: Any, people: Any) -> None:
    assert client_for(people.recruiter).get("/desk/assistance/").status_code == 403


def test_assigning_opens_the_case(people: Any) -> None:
    case = services.assign_case(
        actor=people.caseworker, case=submit().case, assignee=people.caseworker
    )
    assert (case.status, case.assignee) == ("open", people.caseworker)
    assert list(selectors.queue(people.caseworker, "mine")) == [case]


def test_a_case_is_assigned_only_within_its_representation(people: Any) -> None:
    with pytest.raises(ValidationError):
        services.assign_case(
            actor=people.caseworker, case=submit().case, assignee=people.caseworker_ala
        )


def test_a_transfer_moves_the_case_when_the_receiver_accepts(people: Any) -> None:
    case = submit().case
    services.request_transfer(actor=people.caseworker, case=case, to_agency=ala())
    assert list(selectors.queue(people.caseworker_ala, "incoming")) == [case]
    with pytest.raises(PermissionDenied):
        services.accept_transfer(actor=people.supervisor, case=case)
    case = services.accept_transfer(actor=people.caseworker_ala, case=case)
    assert case.owning_agency == ala() and case.status == "open"
    assert not selectors.list_cases_for(people.caseworker).filter(pk=case.pk).exists()


def test_a_rejected_transfer_stays_with_the_sender(people: Any) -> None:
    case = submit().case
    services.request_transfer(actor=people.caseworker, case=case, to_agency=ala())
    case = services.reject_transfer(actor=people.caseworker_ala, case=case, reason="Not ours")
    assert case.owning_agency.code == "mlme-mow" and case.transfer_to is None
    assert case.events.filter(kind="transfer_rejected").exists()


def test_a_referral_is_accepted_and_completed(people: Any) -> None:
    load_partners()
    case = submit().case
    referral = services.refer_case(
        actor=people.caseworker, case=case, partner=Partner.objects.get(code="iom-tj")
    )
    assert Case.objects.get(pk=case.pk).status == "referred"
    services.decide_referral(actor=people.partner_iom, referral=referral, accept=True)
    services.complete_referral(actor=people.caseworker, referral=referral, note="Shelter found")
    assert Referral.objects.get(pk=referral.pk).status == "completed"
    assert Case.objects.get(pk=case.pk).status == "open"


def test_a_partner_cannot_answer_another_partners_referral(people: Any) -> None:
    load_partners()
    referral = services.refer_case(
        actor=people.caseworker, case=submit().case, partner=Partner.objects.get(code="iom-tj")
    )
    with pytest.raises(PermissionDenied):
        services.decide_referral(actor=people.partner_mvd, referral=referral, accept=True)


def test_closing_needs_another_persons_approval(people: Any) -> None:
    case = submit().case
    services.assign_case(actor=people.caseworker, case=case, assignee=people.caseworker)
    services.request_closure(actor=people.caseworker, case=case, summary="Released, advice given")
    with pytest.raises(PermissionDenied):
        services.approve_closure(actor=people.caseworker, case=case)
    case = services.approve_closure(actor=people.supervisor, case=case)
    assert case.status == "closed" and not case.is_open and case.closed_at


def test_a_supervisor_can_send_a_closure_back(people: Any) -> None:
    case = submit().case
    services.request_closure(actor=people.caseworker, case=case, summary="Done")
    case = services.reject_closure(actor=people.supervisor, case=case, reason="Call them first")
    assert case.status == "open"


def test_a_breached_target_is_escalated_once(people: Any) -> None:
    case = submit().case
    later = timezone.now() + timedelta(hours=9)  # normal urgency: first contact in 8 h
    assert services.escalate_breached_cases(now=later) == 1
    assert services.escalate_breached_cases(now=later) == 0
    case.refresh_from_db()
    assert case.first_contact_breached and not case.resolution_breached and case.escalated_at
    assert list(selectors.queue(people.supervisor, "escalated")) == [case]
    assert list(selectors.queue(people.supervisor, "overdue", now=later)) == [case]
    assert case.events.get(kind="escalation").shown_text() == "first contact"


def test_the_escalation_command_reports_what_it_did(people: Any, capsys: Any) -> None:
    case = submit().case
    Case.objects.filter(pk=case.pk).update(first_contact_due=timezone.now() - timedelta(minutes=1))
    call_command("escalate_cases")
    assert "1" in capsys.readouterr().out
    assert case.events.filter(kind="escalation").exists()


def test_a_contact_note_stops_the_first_contact_timer(people: Any) -> None:
    case = submit().case
    services.add_note(actor=people.caseworker, case=case, text="Called", contacted=True)
    case.refresh_from_db()
    assert case.first_contact_at is not None and not case.first_contact_breached
    assert case.timers()["first_contact"]["done"]


def test_raising_urgency_brings_the_targets_forward(people: Any) -> None:
    case = submit().case
    before = case.resolution_due
    case = services.set_urgency(actor=people.caseworker, case=case, urgency="critical")
    assert case.resolution_due < before


def test_the_operator_finds_a_caller_by_phone_and_by_name_in_another_script(people: Any) -> None:
    case = submit().case
    submit(reporter_name="Saidov Bakhtiyor", reporter_phone="+7 900 000-00-00")
    assert list(selectors.search_cases(user=people.operator, phone="8 (916) 123 45 67")) == [case]
    assert list(selectors.search_cases(user=people.operator, name="Djuraev Jamshed")) == [case]
    assert list(selectors.search_cases(user=people.operator, name="ДЖУРАЕВ")) == [case]
    assert list(selectors.search_cases(user=people.operator, reference=case.reference.lower())) == [
        case
    ]


def test_the_console_searches_by_post_and_opens_a_case_with_scripted_answers(
    client_for: Any, people: Any
) -> None:
    client = client_for(people.operator)
    submitted = submit()
    response = client.post(
        "/desk/assistance/console/", {"action": "search", "phone": "+79161234567"}
    )
    assert response.context["results"] == [submitted.case]
    trafficking = CaseType.objects.get(code="trafficking")
    response = client.post(
        "/desk/assistance/console/",
        {
            "action": "open",
            "case_type": trafficking.pk,
            "urgency": "critical",
            "reporter_name": "Умаров Дилшод",
            "q_debt": "Owes 80,000 roubles to the recruiter",
        },
    )
    case = Case.objects.exclude(pk=submitted.case.pk).get()
    assert response.status_code == 302
    assert case.channel == "operator" and case.urgency == "critical" and case.first_contact_at
    assert "80,000" in case.answers


def test_attachments_are_served_only_to_those_who_may_see_the_case(
    client_for: Any, people: Any
) -> None:
    case = submit().case
    item = services.add_attachment(
        actor=people.caseworker,
        case=case,
        upload=SimpleUploadedFile("x.png", PNG, content_type="image/png"),
    )
    assert (
        client_for(people.caseworker_ala).get(f"/desk/assistance/files/{item.pk}/").status_code
        == 404
    )
    response = client_for(people.caseworker).get(f"/desk/assistance/files/{item.pk}/")
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png" and response["Cache-Control"] == "no-store"


def test_attachments_are_encrypted_on_disk_and_older_plain_files_still_open(
    client_for: Any, people: Any
) -> None:
    case = submit().case
    item = services.add_attachment(
        actor=people.caseworker,
        case=case,
        upload=SimpleUploadedFile("passport.png", PNG, content_type="image/png"),
    )
    with item.file.open("rb") as handle:
        stored = handle.read()
    assert item.encrypted and b"PNG" not in stored and stored != PNG
    assert item.content() == PNG
    # A file stored before encryption (flag off) is served as it is.
    item.file.save("older", SimpleUploadedFile("older", PNG), save=False)
    item.encrypted = False
    item.save()
    response = client_for(people.caseworker).get(f"/desk/assistance/files/{item.pk}/")
    assert response.content == PNG


def test_the_case_page_actions_walk_a_case_through(client_for: Any, people: Any) -> None:
    load_partners()
    case = submit().case
    client = client_for(people.caseworker)
    client.post(f"/desk/assistance/cases/{case.pk}/assign/", {"assignee": people.caseworker.pk})
    client.post(
        f"/desk/assistance/cases/{case.pk}/note/", {"text": "Called back", "contacted": "on"}
    )
    iom = Partner.objects.get(code="iom-tj")
    client.post(f"/desk/assistance/cases/{case.pk}/refer/", {"partner": iom.pk, "text": "Shelter"})
    referral = case.referrals.get()
    client.post(
        f"/desk/assistance/cases/{case.pk}/referral/answer/",
        {"referral": referral.pk, "decision": "accept"},
    )
    client.post(
        f"/desk/assistance/cases/{case.pk}/referral/answer/",
        {"referral": referral.pk, "decision": "complete"},
    )
    client.post(f"/desk/assistance/cases/{case.pk}/closure/", {"text": "Resolved"})
    client_for(people.supervisor).post(
        f"/desk/assistance/cases/{case.pk}/closure/", {"decision": "approve"}
    )
    case.refresh_from_db()
    assert case.status == "closed"
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[:2] == ["created", "assignment"] and kinds[-1] == "closure_approved"


def test_the_dashboard_counts_by_type_representation_and_point(
    client_for: Any, people: Any
) -> None:
    submit()
    submit(case_type=CaseType.objects.get(code="detention"))
    response = client_for(people.supervisor).get("/desk/assistance/dashboard/")
    data = response.context["data"]
    assert data["breaches"]["open"] == 2
    assert data["by_point"][0]["count"] == 2
    assert "DME 2" in response.content.decode()


def test_the_export_holds_no_personal_data_and_is_audited(client_for: Any, people: Any) -> None:
    submit()
    response = client_for(people.supervisor).get("/desk/assistance/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("reference,case_type,urgency")
    assert "Ҷӯраев" not in body and "916" not in body and "passport control" not in body
    assert AuditEntry.objects.filter(action="export", object_type="assistance.case").exists()


def test_a_report_from_a_kazakh_border_point_goes_to_almaty(people: Any) -> None:
    from hamroh.assistance.models import BorderPoint

    case = services.submit_report(
        report=report(border_point=BorderPoint.objects.get(code="zhibek-zholy"))
    ).case
    assert case.owning_agency == ala()


def test_the_worker_task_escalates_like_the_command(people: Any) -> None:
    from hamroh.assistance.tasks import escalate_cases

    case = submit().case
    Case.objects.filter(pk=case.pk).update(first_contact_due=timezone.now() - timedelta(minutes=1))
    assert escalate_cases.call() == 1
    case.refresh_from_db()
    assert case.first_contact_breached


def test_case_types_are_configurable_in_the_back_office(client_for: Any, people: Any) -> None:
    from django.contrib import admin

    assert admin.site.is_registered(CaseType)
    assert not admin.site.is_registered(Case)
