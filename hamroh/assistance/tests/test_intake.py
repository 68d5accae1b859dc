from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from hamroh.assistance import selectors, services
from hamroh.assistance.models import Attachment, Case, CaseType
from hamroh.assistance.tests.factories import PDF, PNG, submit
from hamroh.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client: Any) -> Any:
    """Requests read English unless a test picks another language."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


def form_data(**values: Any) -> dict[str, Any]:
    data = {
        "case_type": CaseType.objects.get(code="held_at_border").pk,
        "border_point": "",
        "country": "RUS",
        "city": "Moscow",
        "hours_held": "14",
        "documents_taken": "yes",
        "narrative": "Held at Domodedovo, passport taken.",
        "reporter_name": "Ҷӯраев Ҷамшед",
        "reporter_phone": "+7 916 123-45-67",
    }
    data.update(values)
    return data


def test_the_case_types_of_the_issue_are_shipped_with_targets_and_questions() -> None:
    codes = set(CaseType.objects.values_list("code", flat=True))
    assert len(codes) == 11
    assert {"held_at_border", "trafficking", "consultation", "entry_ban"} <= codes
    trafficking = CaseType.objects.get(code="trafficking")
    assert {"debt", "documents_withheld", "movement"} <= {q["code"] for q in trafficking.questions}
    assert trafficking.target_hours("critical") == (1.0, 24.0)


def test_a_report_gets_a_reference_and_a_code_shown_once(client: Any) -> None:
    response = client.post("/assistance/help/", form_data())
    assert response.status_code == 200
    case = Case.objects.get()
    code = response.context["code"]
    assert case.reference == f"HMR-{case.created_at.year}-{case.pk:06d}"
    assert case.reference in response.content.decode()
    assert code not in case.followup_hash
    assert case.followup_hash == services.followup_hash(code)
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_report_is_routed_to_the_representation_of_its_country(client: Any, people: Any) -> None:
    client.post("/assistance/help/", form_data(country="KAZ", city="Almaty"))
    assert Case.objects.get().owning_agency == people.caseworker_ala.agency


def test_personal_fields_are_encrypted_at_rest(client: Any) -> None:
    client.post("/assistance/help/", form_data())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_phone, narrative FROM assistance_case")
        row = cursor.fetchone()
    assert "Ҷӯраев" not in row[0] and "916" not in row[1] and "Domodedovo" not in row[2]
    assert Case.objects.get().reporter_name == "Ҷӯраев Ҷамшед"


def test_an_anonymous_report_keeps_no_contact(client: Any) -> None:
    client.post("/assistance/help/", form_data(anonymous="on"))
    case = Case.objects.get()
    assert case.anonymous
    assert (case.reporter_name, case.reporter_phone, case.phone_index) == ("", "", "")
    assert not case.name_keys.exists()


def test_a_photo_is_stored_and_other_files_are_refused(client: Any) -> None:
    photo = SimpleUploadedFile("passport.png", PNG, content_type="image/png")
    client.post("/assistance/help/", form_data(attachments=photo))
    item = Attachment.objects.get()
    assert item.content_type == "image/png" and item.size == len(PNG)
    assert "passport" not in item.file.name
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post("/assistance/help/", form_data(attachments=fake))
    assert "virus.pdf is not a photo (JPEG, PNG) or a PDF document." in response.content.decode()
    assert Case.objects.count() == 1


def test_a_file_over_5_mb_is_refused() -> None:
    big = SimpleUploadedFile(
        "scan.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        services.check_attachment(big)


def test_submissions_are_rate_limited_per_address(client: Any, settings: Any) -> None:
    from hamroh.assistance import views

    for _ in range(views.REPORT_LIMIT):
        assert client.post("/assistance/help/", form_data()).status_code == 200
    response = client.post("/assistance/help/", form_data())
    assert response.status_code == 429
    assert Case.objects.count() == views.REPORT_LIMIT


def test_the_rate_limit_page_is_translated(client: Any) -> None:
    from hamroh.assistance import views

    client.cookies["django_language"] = "ru"
    for _ in range(views.CODE_LIMIT + 1):
        response = client.post("/assistance/follow-up/", {"code": "WRONG"})
    assert response.status_code == 429
    assert "Слишком много попыток" in response.content.decode()


def test_the_follow_up_page_shows_status_for_the_code_only_by_post(client: Any) -> None:
    submitted = submit()
    assert (
        client.get("/assistance/follow-up/", {"code": submitted.followup_code}).context["case"]
        is None
    )
    response = client.post("/assistance/follow-up/", {"code": submitted.followup_code.lower()})
    assert response.context["case"] == submitted.case
    assert "New" in response.content.decode()
    assert AuditEntry.objects.filter(object_id=str(submitted.case.pk), action="read").exists()


def test_a_wrong_code_finds_nothing(client: Any) -> None:
    submit()
    response = client.post("/assistance/follow-up/", {"code": services.new_followup_code()})
    assert response.context["case"] is None
    assert "No case has this code" in response.content.decode()


def test_the_reporter_adds_information_with_the_code(client: Any) -> None:
    submitted = submit()
    client.post(
        "/assistance/follow-up/",
        {"code": submitted.followup_code, "action": "add", "text": "They let me go at 9 p.m."},
    )
    event = submitted.case.events.get(kind="reporter_message")
    assert event.text == "They let me go at 9 p.m."


def test_the_public_timeline_hides_staff_notes(people: Any) -> None:
    submitted = submit()
    case = submitted.case
    services.add_note(actor=people.caseworker, case=case, text="Internal remark")
    kinds = [e.kind for e in selectors.public_timeline(case)]
    assert kinds == ["created"]


def test_the_report_page_is_translated(client: Any) -> None:
    client.cookies["django_language"] = "tg"
    assert "Кӯтоҳ нависед, ки чӣ ҳодиса рӯй дод" in client.get("/assistance/help/").content.decode()
