"""The signed contract's scan (stored encrypted, read by the agency with an audit entry and by
the person themselves) and the ticket as its own step before departure."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from rest_framework.test import APIClient

from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Role
from hamroh.recruitment import services
from hamroh.recruitment.models import ContractScan, Step
from hamroh.recruitment.tests.test_pipeline import TICKET, _depart, _selected
from hamroh.registry.selectors import list_accesses_to_person
from hamroh.registry.services import reissue_access_code
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db
K = Step.Kind
TODAY = date.today()
PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer\n%%EOF\n"


@pytest.fixture
def other_officer(people):
    """A recruitment officer of another agency."""
    return User.objects.create_user(
        username="recruiter-mow",
        agency=Agency.objects.get(code="mlme-mow"),
        role=Role.RECRUITMENT_OFFICER,
    )


def _scan(data: bytes = PDF, name: str = "contract.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _until_contract(people, application, scan=None):
    for kind, result, extra in [
        (K.LANGUAGE_TEST, "passed", {"score": 78}),
        (K.SKILLS_TEST, "passed", {"score": 85}),
        (K.ORIENTATION, "passed", {"certificate": "OR-1"}),
        (K.TRAINING, "passed", {"certificate": "TR-1"}),
        (K.MEDICAL, "passed", {}),
    ]:
        services.record_step(
            actor=people.recruiter,
            application=application,
            kind=kind,
            date=TODAY,
            result=result,
            **extra,
        )
    return services.record_step(
        actor=people.recruiter, application=application, kind=K.CONTRACT, date=TODAY, scan=scan
    )


def _ticket(people, application, **changes):
    return services.record_step(
        actor=people.recruiter,
        application=application,
        kind=K.TICKET,
        date=TODAY,
        **{**TICKET, **changes},
    )


# --- Ticket ---------------------------------------------------------------------------------


def test_the_ticket_is_a_required_step_with_its_deadline(people, order):
    application = _selected(people, order)
    blockers = services.blockers(application)
    assert [b.kind for b in blockers][-2:] == [K.CONTRACT, K.TICKET]
    assert blockers[-1].due == application.selected_at + timedelta(days=55)
    assert str(blockers[-1].label) == "Ticket booked"


def test_the_ticket_comes_after_the_contract_and_departure_needs_it(people, order):
    application = _selected(people, order)
    with pytest.raises(ValidationError, match="signed contract before the ticket"):
        _ticket(people, application)
    _until_contract(people, application)
    assert [b.kind for b in services.blockers(application)] == [K.TICKET]
    with pytest.raises(ValidationError, match=r"Departure is blocked.*Ticket booked"):
        _depart(people, application)
    ticket = _ticket(people, application, carrier="  Somon Air SZ 201 ")
    assert ticket.result == Step.Result.DONE and ticket.carrier == "Somon Air SZ 201"
    assert services.blockers(application) == []
    _depart(people, application)
    application.refresh_from_db()
    assert application.status == "departed"


def test_a_ticket_names_the_date_carrier_and_journey(people, order):
    application = _selected(people, order)
    _until_contract(people, application)
    with pytest.raises(ValidationError) as error:
        _ticket(people, application, travel_date=None, carrier="", travel_from="", travel_to="")
    assert set(error.value.message_dict) == {"travel_date", "carrier", "travel_from", "travel_to"}
    with pytest.raises(ValidationError, match="before the ticket was booked"):
        _ticket(people, application, travel_date=TODAY - timedelta(days=1))


def test_ticket_fields_are_kept_only_on_a_ticket(people, order):
    application = _selected(people, order)
    step = services.record_step(
        actor=people.recruiter,
        application=application,
        kind=K.MEDICAL,
        date=TODAY,
        result="passed",
        **TICKET,
    )
    assert step.travel_date is None and step.carrier == "" and step.travel_to == ""


# --- Contract scan ----------------------------------------------------------------------------


def test_the_contract_scan_is_stored_encrypted_outside_the_web_root(people, order, settings):
    application = _selected(people, order)
    contract = _until_contract(people, application, scan=_scan())
    scan = ContractScan.objects.get(step=contract)
    path = Path(scan.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and "contract" not in path.name
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    stored = path.read_bytes()
    assert b"%PDF" not in stored and b"Catalog" not in stored
    assert scan.content() == PDF and scan.content_type == "application/pdf"
    assert scan.size == len(PDF) and scan.uploaded_by == people.recruiter
    created = AuditEntry.objects.get(object_type="recruitment.step", object_id=str(contract.pk))
    assert "scan" in created.fields


def test_a_scan_is_judged_by_its_content_and_size(people, order):
    application = _selected(people, order)
    fake = _scan(b"MZ\x90\x00 a program", name="contract.pdf")
    with pytest.raises(ValidationError, match="not a photo"):
        _until_contract(people, application, scan=fake)
    assert not application.steps.filter(kind=K.CONTRACT).exists()
    big = _scan(PDF + b"0" * (5 * 1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        services.record_step(
            actor=people.recruiter, application=application, kind=K.CONTRACT, date=TODAY, scan=big
        )
    png = SimpleUploadedFile("scan.bin", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    contract = services.record_step(
        actor=people.recruiter, application=application, kind=K.CONTRACT, date=TODAY, scan=png
    )
    assert contract.scan.content_type == "image/png"


def test_only_the_contract_step_takes_a_scan(people, order):
    application = _selected(people, order)
    with pytest.raises(ValidationError, match="Only the signed contract has a scan"):
        services.record_step(
            actor=people.recruiter,
            application=application,
            kind=K.MEDICAL,
            date=TODAY,
            result="passed",
            scan=_scan(),
        )


def test_the_officer_attaches_the_scan_on_the_candidate_page_and_downloads_it(
    client_for, people, order
):
    application = _selected(people, order)
    _until_contract(people, application)
    client = client_for(people.recruiter)
    url = reverse("recruitment:application", args=[application.pk])
    response = client.post(
        url,
        {"kind": "contract", "date": TODAY.isoformat(), "result": "done", "scan": _scan()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    contract = application.steps.filter(kind=K.CONTRACT).latest("id")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    download = reverse("recruitment:contract_scan", args=[contract.pk])
    assert 'data-testid="contract-scan"' in page and download in page
    before = list_accesses_to_person(application.person).count()
    response = client.get(download)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert application.person.public_id not in response["Content-Disposition"]
    read = list_accesses_to_person(application.person).first()
    assert list_accesses_to_person(application.person).count() == before + 1
    assert read.action == "read" and read.fields == ["contract_scan"]
    assert read.actor == people.recruiter


def test_a_bad_scan_is_shown_on_the_form_and_nothing_is_recorded(client_for, people, order):
    application = _selected(people, order)
    response = client_for(people.recruiter).post(
        reverse("recruitment:application", args=[application.pk]),
        {
            "kind": "contract",
            "date": TODAY.isoformat(),
            "result": "done",
            "scan": _scan(b"<html>hi</html>", name="x.pdf"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scan"][0].startswith("x.pdf ")
    assert not application.steps.filter(kind=K.CONTRACT).exists()


def test_another_agency_cannot_download_the_scan(client_for, people, order, other_officer):
    application = _selected(people, order)
    contract = _until_contract(people, application, scan=_scan())
    url = reverse("recruitment:contract_scan", args=[contract.pk])
    assert client_for(other_officer).get(url).status_code == 404


def test_the_person_sees_their_contract_on_file_and_downloads_only_their_own(client, people, order):
    application = _selected(people, order)
    contract = _until_contract(people, application, scan=_scan())
    _ticket(people, application)
    code = reissue_access_code(actor=people.recruiter, person=application.person)
    client.post(reverse("registry:sign_in"), {"code": code})
    page = client.get(reverse("recruitment:my_applications"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'data-testid="contract-on-file"' in text
    assert "Somon Air SZ 201" in text and "Dushanbe → Moscow" in text
    own = client.get(reverse("recruitment:my_contract_scan", args=[contract.pk]))
    assert own.status_code == 200 and own.content == PDF
    other = _selected(people, order)
    theirs = _until_contract(people, other, scan=_scan())
    url = reverse("recruitment:my_contract_scan", args=[theirs.pk])
    assert client.get(url).status_code == 404


def test_the_pipeline_shows_each_candidates_ticket(client_for, people, order):
    application = _selected(people, order)
    _until_contract(people, application)
    waiting = client_for(people.recruiter).get(reverse("recruitment:desk"))
    [(_, blockers, ticket)] = waiting.context["rows"]
    assert [b.kind for b in blockers] == [K.TICKET] and ticket is None
    assert 'data-testid="ticket"' not in waiting.content.decode()
    _ticket(people, application)
    page = client_for(people.recruiter).get(reverse("recruitment:desk")).content.decode()
    assert 'data-testid="ticket"' in page and "Somon Air SZ 201" in page


def test_the_api_takes_the_scan_as_multipart_and_serves_it_audited(people, order, other_officer):
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(people.recruiter)
    application = _selected(people, order)
    _until_contract(people, application)
    url = f"/api/v1/recruitment/applications/{application.pk}/steps/"
    bad = api.post(url, {"kind": "medical", "date": TODAY.isoformat(), "scan": _scan()})
    assert bad.status_code == 400 and "Only the signed contract" in str(bad.json())
    response = api.post(url, {"kind": "contract", "date": TODAY.isoformat(), "scan": _scan()})
    assert response.status_code == 201, response.json()
    contract = [s for s in response.json()["steps"] if s["scan_url"]]
    assert len(contract) == 1 and "scan" not in contract[0]
    before = list_accesses_to_person(application.person).count()
    download = api.get(contract[0]["scan_url"])
    assert download.status_code == 200 and download.content == PDF
    assert list_accesses_to_person(application.person).count() == before + 1
    elsewhere = contract[0]["scan_url"].replace(f"/{application.pk}/", f"/{application.pk + 1}/")
    assert api.get(elsewhere).status_code == 404
    other = APIClient()
    other.force_authenticate(other_officer)
    assert other.get(contract[0]["scan_url"]).status_code == 404


# --- A scan that arrives after the contract was recorded ----------------------------------------


def test_the_officer_attaches_the_scan_later_on_the_candidate_page(client_for, people, order):
    application = _selected(people, order)
    contract = _until_contract(people, application)
    client = client_for(people.recruiter)
    page_url = reverse("recruitment:application", args=[application.pk])
    attach = reverse("recruitment:attach_contract_scan", args=[contract.pk])
    assert attach in client.get(page_url).content.decode()
    response = client.post(attach, {"scan": _scan()}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain[-1][0] == page_url
    page = response.content.decode()
    # the officer reads the desk in their own language (Tajik here)
    assert "Нусхаи сканнии шартномаи имзошуда замима карда шуд." in page
    assert attach not in page and 'data-testid="contract-scan"' in page
    assert ContractScan.objects.get(step=contract).content() == PDF
    entry = AuditEntry.objects.filter(object_id=str(contract.pk)).latest("seq")
    assert (entry.action, entry.fields, entry.actor) == ("update", ["scan"], people.recruiter)


def test_an_attached_scan_is_never_replaced_and_a_bad_file_is_refused(client_for, people, order):
    application = _selected(people, order)
    contract = _until_contract(people, application)
    client = client_for(people.recruiter)
    attach = reverse("recruitment:attach_contract_scan", args=[contract.pk])
    bad = client.post(
        attach, {"scan": _scan(b"<html>hi</html>", "x.pdf")}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "x.pdf " in bad.content.decode() and not ContractScan.objects.exists()
    client.post(attach, {"scan": _scan()})
    again = client.post(
        attach, {"scan": _scan(PDF + b"%other")}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "аллакай нусхаи сканӣ дорад" in again.content.decode()
    assert ContractScan.objects.get().content() == PDF
    medical = application.steps.get(kind=K.MEDICAL)
    with override("en"), pytest.raises(ValidationError, match="Only the signed contract"):
        services.attach_contract_scan(actor=people.recruiter, step=medical, scan=_scan())


def test_another_agency_cannot_attach_a_scan(client_for, people, order, other_officer):
    application = _selected(people, order)
    contract = _until_contract(people, application)
    url = reverse("recruitment:attach_contract_scan", args=[contract.pk])
    assert client_for(other_officer).post(url, {"scan": _scan()}).status_code == 404
    assert client_for(people.recruiter).get(url).status_code == 405
    assert not ContractScan.objects.exists()


def test_the_api_attaches_a_scan_to_a_recorded_contract(people, order, other_officer):
    api = APIClient(headers={"accept-language": "en"})
    api.force_authenticate(people.recruiter)
    application = _selected(people, order)
    contract = _until_contract(people, application)
    url = f"/api/v1/recruitment/applications/{application.pk}/contracts/{contract.pk}/"
    assert api.get(url).status_code == 404
    other = APIClient()
    other.force_authenticate(other_officer)
    assert other.post(url, {"scan": _scan()}).status_code == 404
    response = api.post(url, {"scan": _scan()})
    assert response.status_code == 201, response.json()
    [step] = [s for s in response.json()["steps"] if s["id"] == contract.pk]
    assert step["scan_url"] == url
    assert api.get(url).content == PDF
    again = api.post(url, {"scan": _scan()})
    assert again.status_code == 400 and "already has a scan" in str(again.json())


def test_a_person_without_applications_sees_no_contract(client, people):
    _, code = make_person()
    client.post(reverse("registry:sign_in"), {"code": code})
    page = client.get(reverse("recruitment:my_applications")).content.decode()
    assert "contract-on-file" not in page
