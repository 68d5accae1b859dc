"""The screening pages people use, in a real Chromium."""

from __future__ import annotations

import pytest

from hamroh.conftest import sign_in, use_language

from .conftest import DEMO

pytestmark = pytest.mark.browser


def test_reviewer_loads_the_demo_list_screens_the_cohort_and_decides_a_match(page, site):
    sign_in(page, site, "reviewer")
    use_language(page, "en")
    page.goto(f"{site}/desk/screening/")
    page.get_by_role("link", name="Add a list").click()
    page.fill("#id_name", "Entry bans RF")
    page.select_option("#id_kind", "entry_ban")
    page.select_option("#id_country", "RUS")
    page.get_by_role("button", name="Create the list").click()
    page.set_input_files("#id_file", str(DEMO / "entry_bans.csv"))
    page.get_by_role("button", name="Load the list").click()
    assert page.get_by_test_id("added").inner_text() == "300"
    page.goto(f"{site}/desk/screening/screen/")
    page.set_input_files("#id_cohort-file", str(DEMO / "departures.csv"))
    page.get_by_role("button", name="Screen the cohort").click()
    status = page.get_by_test_id("run-status")
    status.filter(has_text="finished").wait_for()
    assert int(page.get_by_test_id("run-raised").inner_text()) >= 10
    page.get_by_role("link", name="Review the matches").click()
    page.locator("tbody a").first.click()
    assert page.get_by_test_id("side-by-side").is_visible()
    assert page.get_by_test_id("reasons").inner_text()
    page.get_by_label("Same person: confirm").check()
    page.fill("#id_reason", "Passport number and birth date agree")
    page.get_by_role("button", name="Record the decision").click()
    assert "Your decision was recorded." in page.locator(".messages").inner_text()
    page.goto(f"{site}/desk/screening/queue/?status=confirmed")
    assert page.locator("tbody tr").count() == 1


def test_a_migrant_checks_themselves_on_a_phone(phone, site):
    from hamroh.screening.demo import load_demo_data

    load_demo_data()
    phone.goto(f"{site}/screening/check/")
    use_language(phone, "en")
    # On the list as "KODIROV MANUCHEKHR" (Latin of a Russian document); typed here in Tajik.
    phone.fill("#id_full_name", "Қодиров Манучеҳр")
    phone.fill("#id_birth_date", "1973-09-18")
    phone.fill("#id_document_number", "404825150")  # one digit off: a partial match
    phone.get_by_role("button", name="Check").click()
    answer = phone.get_by_test_id("answer")
    assert answer.get_attribute("data-result") == "no_record"
    assert "No record found" in answer.inner_text()
    assert phone.url.removeprefix(site) == "/screening/check/"  # nothing typed is in the URL
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.fill("#id_full_name", "Қодиров Манучеҳр")
    phone.fill("#id_birth_date", "1973-09-18")
    phone.fill("#id_document_number", "404825159")
    phone.get_by_role("button", name="Check").click()
    answer = phone.get_by_test_id("answer")
    assert answer.get_attribute("data-result") == "found"
    assert "Entry bans: Russian Federation (demo)" in answer.inner_text()
    assert "since 2025-05-05" in answer.inner_text()
