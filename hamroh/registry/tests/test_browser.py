"""In a browser: an officer registers a walk-in at the office, is warned of a likely
duplicate, confirms a different person, hands over the access code and edits the phone."""

import pytest

from hamroh.conftest import sign_in, use_language
from hamroh.registry.models import Person
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.browser


def test_an_officer_registers_a_walk_in_confirms_a_namesake_and_edits_the_phone(site, page):
    existing, _ = make_person(passport_number="400111222")  # Раҳимов Фарҳод, 1995-04-12

    sign_in(page, site, "recruiter")
    use_language(page, "en")
    page.goto(f"{site}/desk/registry/people/")
    page.click("[data-testid=register-person]")
    page.wait_for_url("**/desk/registry/people/new/")

    form = "[data-testid=desk-register-form]"
    page.fill("#id_surname_cyrillic", "Рахимов")
    page.fill("#id_given_name_cyrillic", "Фарход")
    page.fill("#id_patronymic_cyrillic", "Бахтиёрович")
    page.fill("#id_surname_latin", "RAHIMOV")
    page.fill("#id_given_name_latin", "FARHOD")
    page.check("#id_sex_0")
    page.fill("#id_birth_date", "1995")
    page.select_option("#id_region", "TJ-SU")
    page.fill("#id_phone", "+992 92 700 1234")
    page.fill("#id_passport_number", "400333444")
    page.fill("#id_passport_expiry_date", "2034-06-30")
    page.select_option("#id_occupation", "711")
    page.check("#id_languages_0")
    page.check("#id_consent")
    page.click(f"{form} button.primary")

    # The identity engine finds the record written in another spelling; nothing is saved yet.
    duplicates = page.locator("[data-testid=duplicates]")
    assert existing.public_id in duplicates.inner_text()
    assert duplicates.locator(f"a[href$='/desk/registry/people/{existing.public_id}/']").count()
    assert Person.objects.count() == 1
    assert page.input_value("#id_surname_latin") == "RAHIMOV"  # the form keeps what was typed

    page.check("[data-testid=different-person]")
    page.click(f"{form} button.primary")
    page.wait_for_url("**/registered/")
    code = page.inner_text("[data-testid=access-code]").strip()
    public_id = page.inner_text("[data-testid=public-id]").strip()
    assert len(code) == 19 and public_id != existing.public_id
    assert "RAHIMOV" not in page.url and "1995" not in page.url

    # The code is shown once: going back to the page opens the record instead.
    page.reload()
    page.wait_for_url(f"**/desk/registry/people/{public_id}/")
    assert code not in page.content()

    page.click("[data-testid=edit-record]")
    page.wait_for_url(f"**/desk/registry/people/{public_id}/edit/")
    assert page.input_value("#id_phone") == "+992 92 700 1234"
    page.fill("#id_phone", "+992 93 800 5678")
    page.click("[data-testid=edit-form] button.primary")
    page.wait_for_url(f"**/desk/registry/people/{public_id}/")
    assert "+992 93 800 5678" in page.inner_text(".facts")
    assert "+992 92 700 1234" not in page.inner_text(".facts")
    accesses = page.inner_text("[data-testid=accesses]")
    assert "phone" in accesses and "recruiter" in accesses

    person = Person.objects.get(public_id=public_id)
    assert person.source == Person.Source.DESK and person.birth_month is None


def test_an_officer_uploads_a_clean_file_imports_merges_a_duplicate_and_sees_the_people(
    site, page, settings, tmp_path
):
    # Tasks run in the request that enqueues them; the upload is kept in a scratch folder.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DATA_DIR = tmp_path / "data"
    registered, _ = make_person()  # Раҳимов Фарҳод, born 12 April 1995
    csv = tmp_path / "office.csv"
    csv.write_bytes(
        "\ufeffid;Фамилия;Имя;Дата рождения;Пол;Паспорт;Регион\r\n"
        "W1;Юсупов;Анвар;1992-06-01;M;400999001;TJ-SU\r\n"
        "\r\n"
        "W2;Қодирова;Зарина;1997;F;400999002;TJ-DU\r\n"
        "W3;RAKHIMOV;FARKHOD;1995-04-12;M;;TJ-SU\r\n".encode()
    )

    sign_in(page, site, "recruiter")
    use_language(page, "en")
    page.goto(f"{site}/desk/registry/people/")
    page.click("[data-testid=import-file]")
    page.wait_for_url("**/desk/registry/imports/")
    page.set_input_files("#id_file", str(csv))
    page.click("[data-testid=import-upload-form] button.primary")
    page.wait_for_url("**/desk/registry/imports/*/")
    assert "Юсупов" not in page.url

    page.wait_for_selector("[data-testid=import-state][data-status=checked]")
    assert page.inner_text("[data-testid=rows-read]") == "3"
    assert page.inner_text("[data-testid=problem-count]") == "0"
    assert registered.public_id in page.inner_text("[data-testid=import-duplicates]")
    button = page.locator("[data-testid=import-commit]")
    assert button.is_enabled() and "Import 3 people" in button.inner_text()
    button.click()

    page.wait_for_selector("[data-testid=import-done]")
    assert Person.objects.filter(source_ref__in=["W1", "W2", "W3"]).count() == 3
    twin = Person.objects.get(source_ref="W3")

    # The line that repeats a registered person is merged into them from the report...
    group = page.locator("[data-testid=duplicate-group]")
    assert twin.public_id in group.inner_text()
    group.locator("[data-testid=merge]").click()
    page.wait_for_selector("[data-testid=merged]")
    twin.refresh_from_db()
    assert twin.merged_into_id == registered.pk
    # ...and the merge is undone there too.
    page.click("[data-testid=undo-merge]")
    page.wait_for_selector("[data-testid=duplicate-group] [data-testid=merge]")
    twin.refresh_from_db()
    assert twin.merged_into_id is None
    page.click("[data-testid=see-people]")
    page.wait_for_url("**/desk/registry/people/")
    assert "Юсупов Анвар" in page.content() and "Қодирова Зарина" in page.content()
