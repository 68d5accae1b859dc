"""Importing a registry file at the desk: upload, background check with a report per line and
column, then an all-or-nothing import or a discard; the upload kept encrypted meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from hamroh.core.models import Agency, AuditEntry, User
from hamroh.registry import services
from hamroh.registry.models import Person, RegistryImport
from hamroh.registry.tests.factories import make_person, office_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("desk_imports")]

HEADER = "id;Фамилия;Имя;Отчество;Дата рождения;Пол;Паспорт;Телефон;Регион;Профессия"
CLEAN = [
    "R1;Каримов;Баҳром;Саидович;1990-05-17;M;400888001;+992 90 000 1111;TJ-SU;711",
    "R2;NAZAROVA;MADINA;;12.03.1996;Ж;400888002;;TJ-KT-BOKHTAR;921",
]


def uploads(settings: Any) -> list[Path]:
    folder = Path(settings.DATA_DIR) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client: Any, data: bytes, name: str = "office.csv", capture: Any = None) -> Any:
    with capture(execute=True):
        response = client.post(
            reverse("registry:imports"), {"file": SimpleUploadedFile(name, data)}
        )
    return response


def test_a_messy_office_file_is_reported_line_by_line_and_nothing_is_stored(
    people, client_for, settings, django_capture_on_commit_callbacks
):
    registered, _ = make_person(passport_number="400888009")
    client = client_for(people.recruiter)
    lines = [
        HEADER,
        CLEAN[0],
        "",
        "R3;Саидов;Умед;;1991-13-01;M;400888003;;TJ-SU;711",
        "R4;Раҳимова;Нигора;;1994;F;400888004;;TJ-ZZ;",
        "",
        "R5;Ҳакимов;Ҷамшед;;1988-02-02;M;400888009;;TJ-DU;",
    ]
    before = Person.objects.count()
    response = upload(client, office_csv(lines), capture=django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import", args=[record.pk])
    assert record.status == RegistryImport.Status.CHECKED

    page = client.get(response["Location"]).content.decode()
    assert Person.objects.count() == before
    assert record.rows_read == 4 and record.rows_valid == 1 and record.problem_count == 3
    problems = [(p["line"], p["column"]) for p in services_problems(record)]
    assert problems == [(4, "birth_date"), (5, "region"), (7, "document_number")]
    assert "is not a region code" in page and "TJ-ZZ" in page
    assert f"already registered to person {registered.public_id}" in page
    # Nothing can come of this file, so it is gone and neither import nor discard is offered.
    assert 'data-testid="import-commit"' not in page
    assert 'data-testid="import-discard"' not in page
    assert uploads(settings) == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_commit", args=[record.pk]))
    assert Person.objects.count() == before
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.CHECKED


def services_problems(record: RegistryImport) -> list[dict[str, Any]]:
    from hamroh.registry.selectors import import_problems

    return import_problems(record)


def test_a_clean_file_is_previewed_then_imported_audited_and_deleted(
    people, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(people.recruiter)
    twin = "R9;KARIMOV;BAHROM;;1990-05-17;M;;;TJ-SU;711"
    response = upload(
        client, office_csv([HEADER, *CLEAN, twin]), capture=django_capture_on_commit_callbacks
    )
    record = RegistryImport.objects.get()
    assert record.status == RegistryImport.Status.CHECKED and record.rows_valid == 3
    assert {"line": 4, "others": [{"line": 2}]} in record.duplicates
    page = client.get(response["Location"]).content.decode()
    assert "Import 3 people" in page and "Line 4 may be the same person as" in page
    assert "Каримов" not in response["Location"]
    assert len(uploads(settings)) == 1
    assert AuditEntry.objects.filter(
        object_type="registry.registryimport", object_id=str(record.pk), action="create"
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_commit", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.IMPORTED and record.imported_count == 3
    assert record.imported_by == people.recruiter
    imported = Person.objects.filter(import_batch=record.imported_batch)
    assert imported.count() == 3
    assert {p.agency.code for p in imported} == {"aoe"}
    assert imported.get(source_ref="R2").district_id == "TJ-KT-BOKHTAR"
    entry = AuditEntry.objects.get(object_type="registry.import", object_id=record.fingerprint)
    assert entry.actor == people.recruiter
    assert uploads(settings) == []  # the upload is deleted once imported
    page = client.get(reverse("registry:import", args=[record.pk])).content.decode()
    assert "3 people were imported" in page and reverse("registry:people") in page

    # The same file again is refused as a whole, at the desk and on the command line.
    upload(client, office_csv([HEADER, *CLEAN, twin]), capture=django_capture_on_commit_callbacks)
    again = RegistryImport.objects.exclude(pk=record.pk).get()
    assert again.status == RegistryImport.Status.FAILED
    assert "already imported" in again.error and record.fingerprint in again.error
    assert uploads(settings) == []
    path = Path(settings.DATA_DIR) / "again.csv"
    path.write_bytes(office_csv([HEADER, *CLEAN, twin]))
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_registry", str(path), "--agency", "aoe", "--dry-run")
    assert Person.objects.filter(import_batch=record.imported_batch).count() == 3


def test_the_upload_is_encrypted_on_disk_and_discard_deletes_it(
    people, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(people.recruiter)
    upload(client, office_csv([HEADER, *CLEAN]), capture=django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    [stored] = uploads(settings)
    assert stored.name == record.stored_name and len(stored.name) == 32
    raw = stored.read_bytes()
    for clear in ("Каримов".encode(), b"NAZAROVA", b"400888001"):
        assert clear not in raw
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert services.read_upload(record) == office_csv([HEADER, *CLEAN])

    response = client.post(reverse("registry:import_discard", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.DISCARDED and record.stored_name == ""
    assert uploads(settings) == []
    assert AuditEntry.objects.filter(
        object_type="registry.registryimport", object_id=str(record.pk), action="delete"
    ).exists()
    assert not Person.objects.filter(source_ref="R1").exists()
    # A discarded upload cannot be imported any more.
    client.post(reverse("registry:import_commit", args=[record.pk]))
    assert not Person.objects.filter(source_ref="R1").exists()


def test_other_roles_are_refused_and_other_agencies_imports_are_not_found(
    people, client_for, django_capture_on_commit_callbacks
):
    client = client_for(people.recruiter)
    upload(client, office_csv([HEADER, *CLEAN]), capture=django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()

    client.force_login(people.caseworker)
    assert client.get(reverse("registry:imports")).status_code == 403
    assert client.get(reverse("registry:import", args=[record.pk])).status_code == 403
    data = {"file": SimpleUploadedFile("x.csv", office_csv([HEADER, *CLEAN]))}
    assert client.post(reverse("registry:imports"), data).status_code == 403

    other = User.objects.create(
        username="recruiter-other",
        agency=Agency.objects.get(code="mlme-mow"),
        role="recruitment_officer",
    )
    client.force_login(other)
    for name in ("registry:import", "registry:import_commit", "registry:import_discard"):
        method = client.get if name == "registry:import" else client.post
        assert method(reverse(name, args=[record.pk])).status_code == 404
    listing = client.get(reverse("registry:imports")).content.decode()
    assert reverse("registry:import", args=[record.pk]) not in listing
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.CHECKED


def test_wrong_type_and_size_are_refused_with_a_clear_message(
    people, client_for, settings, monkeypatch
):
    client = client_for(people.recruiter)
    response = client.post(
        reverse("registry:imports"), {"file": SimpleUploadedFile("people.pdf", b"%PDF")}
    )
    assert "Upload a CSV or Excel (.xlsx) file." in response.content.decode()
    monkeypatch.setattr(services, "MAX_IMPORT_BYTES", 100)
    response = client.post(
        reverse("registry:imports"),
        {"file": SimpleUploadedFile("people.csv", office_csv([HEADER, *CLEAN]))},
    )
    assert "The file is larger than" in response.content.decode()
    assert not RegistryImport.objects.exists() and uploads(settings) == []


def test_an_unreadable_file_fails_with_its_reason_and_is_deleted(
    people, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(people.recruiter)
    upload(client, b"1;2;3\r\n4;5;6\r\n", capture=django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    assert record.status == RegistryImport.Status.FAILED and "No header row" in record.error
    assert uploads(settings) == []
    page = client.get(reverse("registry:import", args=[record.pk])).content.decode()
    assert "No header row" in page
    upload(client, b"not a workbook", "people.xlsx", capture=django_capture_on_commit_callbacks)
    assert "not an Excel workbook" in RegistryImport.objects.first().error


def test_the_report_is_written_in_the_uploaders_language(
    people, client_for, django_capture_on_commit_callbacks
):
    client = client_for(people.recruiter)
    client.cookies["django_language"] = "ru"
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ru"
    bad = "R3;Саидов;Умед;;1991;M;400888003;;TJ-ZZ;711"
    upload(client, office_csv([HEADER, bad]), capture=django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    assert record.language == "ru"
    [problem] = services_problems(record)
    assert problem["column"] == "region" and "TJ-ZZ" in problem["message"]
    assert "is not a region code" not in problem["message"]


def test_progress_is_polled_while_the_check_runs(people, client_for):
    client = client_for(people.recruiter)
    record = services.upload_import(
        actor=people.recruiter,
        file_name="office.csv",
        data=office_csv([HEADER, *CLEAN]),
        enqueue=False,
    )
    response = client.get(reverse("registry:import", args=[record.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body and "<html" not in body
    services.execute_check(record.pk)
    body = client.get(
        reverse("registry:import", args=[record.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in body and "Import 2 people" in body


def test_the_people_list_links_to_the_import_page(people, client_for):
    page = client_for(people.recruiter).get(reverse("registry:people")).content.decode()
    assert reverse("registry:imports") in page


def test_an_upload_left_waiting_for_a_week_is_deleted(
    people, client_for, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(people.recruiter)
    upload(client, office_csv([HEADER, *CLEAN]), capture=django_capture_on_commit_callbacks)
    record = RegistryImport.objects.get()
    assert record.status == RegistryImport.Status.CHECKED and len(uploads(settings)) == 1
    assert services.discard_stale_imports() == 0  # a fresh upload is kept
    later = timezone.now() + services.UPLOAD_KEPT_FOR + timedelta(hours=1)
    assert services.discard_stale_imports(now=later) == 1
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.DISCARDED and uploads(settings) == []
    entry = AuditEntry.objects.filter(object_type="registry.registryimport", action="delete").get()
    assert entry.actor is None and entry.actor_label == "expiry of unused uploads"
    call_command("discard_stale_imports")  # the cron entry point runs too
