"""Merging straight from the import report: after a committed import, each group of likely
duplicates offers to merge the imported records into the registered person, or, for lines of
the same file, into the first line's record (audited, can be undone), and shows the merge and
its undo once done."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hamroh.core.models import Agency, AuditEntry, User
from hamroh.core.roles import Role
from hamroh.registry.models import Person, PersonMerge, RegistryImport
from hamroh.registry.tests.factories import make_person, office_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("desk_imports")]

HEADER = "id;Фамилия;Имя;Отчество;Дата рождения;Пол;Паспорт;Телефон;Регион;Профессия"
LINES = [
    # Line 2: the person already registered by make_person() (Раҳимов Фарҳод, 12.04.1995).
    "R1;RAKHIMOV;FARKHOD;;1995-04-12;M;;;TJ-SU;711",
    # Lines 3 and 4: one person twice within the file.
    "R2;Каримов;Баҳром;Саидович;1990-05-17;M;400888001;;TJ-SU;711",
    "R3;KARIMOV;BAHROM;;1990-05-17;M;;;TJ-SU;711",
    # Line 5: nobody else.
    "R4;NAZAROVA;MADINA;;12.03.1996;Ж;400888002;;TJ-KT-BOKHTAR;921",
]


@pytest.fixture
def imported(people, client_for, django_capture_on_commit_callbacks):
    """A registered person, then a file naming them again, checked and imported."""
    registered, _ = make_person()
    client = client_for(people.recruiter)
    data = office_csv([HEADER, *LINES])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("office.csv", data)})
    record = RegistryImport.objects.get()
    assert {"line": 2, "others": [{"person": registered.public_id}]} in record.duplicates
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RegistryImport.Status.IMPORTED
    twin = Person.objects.get(import_batch=record.imported_batch, source_ref="R1")
    return client, record, registered, twin


def _page(client: Any, record: RegistryImport) -> Any:
    return client.get(reverse("registry:import", args=[record.pk]))


def test_the_report_links_the_imported_record_to_the_registered_one(imported):
    client, record, registered, twin = imported
    response = _page(client, record)
    groups = response.context["groups"]
    [linked] = [g for g in groups if g.registered]
    assert linked.lines == [2] and linked.kept == registered
    assert [p.pk for p in linked.imported] == [twin.pk]
    page = response.content.decode()
    merge_url = reverse("registry:import_merge", args=[record.pk, linked.number])
    assert page.count('data-testid="merge"') == 2 and merge_url in page
    assert twin.public_id in page and 'name="csrfmiddlewaretoken"' in page
    # Two lines of the file are one person: the second line's record merges into the first's.
    [within] = [g for g in groups if not g.registered]
    line3 = Person.objects.get(import_batch=record.imported_batch, source_ref="R2")
    line4 = Person.objects.get(import_batch=record.imported_batch, source_ref="R3")
    assert within.lines == [3, 4] and within.kept == line3 and within.imported == [line4]


def test_lines_of_the_same_file_merge_into_the_first_lines_record_and_back(imported):
    client, record, _registered, _twin = imported
    [within] = [g for g in _page(client, record).context["groups"] if not g.registered]
    client.post(reverse("registry:import_merge", args=[record.pk, within.number]))
    merge = PersonMerge.objects.get()
    assert (merge.kept.source_ref, merge.merged.source_ref) == ("R2", "R3")
    page = _page(client, record).content.decode()
    assert f"{merge.merged.public_id} →" in page and 'data-testid="undo-merge"' in page
    client.post(reverse("registry:import_unmerge", args=[record.pk, within.number]))
    merge.refresh_from_db()
    assert merge.undone_at is not None


def test_a_report_kept_before_registry_numbers_still_finds_the_imported_record(imported):
    """Reports of imports made before the report kept each line's registry number: the
    identity engine finds the imported record of a registered person; same-file lines wait."""
    client, record, registered, twin = imported
    record.duplicates = [
        {**entry, "others": [{k: v for k, v in o.items() if k != "as"} for o in entry["others"]]}
        for entry in ({k: v for k, v in e.items() if k != "as"} for e in record.duplicates)
    ]
    record.save(update_fields=["duplicates"])
    groups = _page(client, record).context["groups"]
    [linked] = [g for g in groups if g.registered]
    [within] = [g for g in groups if not g.registered]
    assert linked.kept == registered and [p.pk for p in linked.imported] == [twin.pk]
    assert within.kept is None and within.imported == []


def test_merging_from_the_report_keeps_both_histories_and_can_be_undone(imported):
    client, record, registered, twin = imported
    group = next(g.number for g in _page(client, record).context["groups"] if g.registered)
    response = client.post(reverse("registry:import_merge", args=[record.pk, group]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry:import", args=[record.pk]))
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.merged) == (registered, twin) and merge.undone_at is None
    twin.refresh_from_db()
    assert twin.merged_into == registered  # the imported record stays, pointing at the kept
    audited = AuditEntry.objects.filter(object_type="registry.person", action="update")
    for person in (registered, twin):
        assert any("merge" in e.fields for e in audited.filter(object_id=str(person.pk)))

    page = _page(client, record).content.decode()
    # This group shows the merge; the file's own pair (lines 3 and 4) still offers its own.
    assert 'data-testid="merged"' in page and page.count('data-testid="merge"') == 1
    assert f"{twin.public_id} →" in page and 'data-testid="undo-merge"' in page

    client.post(reverse("registry:import_unmerge", args=[record.pk, group]))
    merge.refresh_from_db()
    twin.refresh_from_db()
    assert merge.undone_at is not None and twin.merged_into is None
    page = _page(client, record).content.decode()
    assert 'data-testid="merged"' not in page and page.count('data-testid="merge"') == 2


def test_merging_is_a_post_of_the_importing_agency(imported):
    client, record, _registered, _twin = imported
    group = next(g.number for g in _page(client, record).context["groups"] if g.registered)
    url = reverse("registry:import_merge", args=[record.pk, group])
    assert client.get(url).status_code == 405
    assert client.post(reverse("registry:import_merge", args=[record.pk, 99])).status_code == 404
    outsider = User.objects.create_user(
        username="recruiter-mow",
        agency=Agency.objects.get(code="mlme-mow"),
        role=Role.RECRUITMENT_OFFICER,
    )
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert not PersonMerge.objects.exists()


def test_before_the_import_nothing_can_be_merged(
    people, client_for, django_capture_on_commit_callbacks
):
    make_person()
    client = client_for(people.recruiter)
    data = "\r\n".join([HEADER, *LINES]).encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:imports"), {"file": SimpleUploadedFile("office.csv", data)})
    record = RegistryImport.objects.get()
    page = _page(client, record).content.decode()
    assert "Line 2 may be the same person as" in page and 'data-testid="merge"' not in page
    group = _page(client, record).context["groups"][0].number
    client.post(reverse("registry:import_merge", args=[record.pk, group]))
    assert not PersonMerge.objects.exists()
