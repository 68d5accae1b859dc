"""The whole path in a browser: a migrant registers and applies on a phone; the recruitment
officer vets the employer, opens the job order, shortlists, records every step (the signed
contract with its scan, the ticket), the departure and the return; the migrant follows it all
from their phone and downloads their own contract."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from hamroh.conftest import sign_in, use_language
from hamroh.core.models import Agency, Country, Sector
from hamroh.recruitment.models import Employer

pytestmark = pytest.mark.browser


def _pending_employer() -> Employer:
    return Employer.objects.create(
        name="OOO Agro-Volga",
        country=Country.objects.get(alpha3="RUS"),
        tax_id="6312045678",
        sector=Sector.objects.get(code="A"),
        region="Samara Oblast",
        agency=Agency.objects.get(code="aoe"),
    )


def test_a_migrant_registers_applies_and_travels_under_contract(site, page, phone):
    employer = _pending_employer()
    today = date.today()

    # The officer vets the employer and opens a job order.
    sign_in(page, site, "recruiter")
    use_language(page, "en")
    page.goto(f"{site}/desk/recruitment/employers/")
    page.click(f"text={employer.name}")
    page.select_option("[data-testid=status-form] #id_status", "vetted")
    page.click("[data-testid=status-form] button")
    assert page.inner_text("[data-testid=employer-status]") == "Vetted"
    page.goto(f"{site}/desk/recruitment/job-orders/new/")
    page.select_option("#id_employer", str(employer.pk))
    page.fill("#id_title", "Greenhouse worker")
    page.select_option("#id_occupation", "921")
    page.fill("#id_destination_region", "Samara Oblast")
    page.fill("#id_quota", "5")
    page.fill("#id_wage", "70000")
    page.fill("#id_hours_per_week", "40")
    page.select_option("#id_housing", "provided")
    page.fill("#id_contract_months", "9")
    page.fill("#id_min_age", "20")
    page.fill("#id_max_age", "50")
    page.fill("#id_passport_valid_months", "12")
    page.fill("#id_valid_from", (today - timedelta(days=1)).isoformat())
    page.fill("#id_valid_until", (today + timedelta(days=45)).isoformat())
    page.click("form.stack button.primary")
    page.wait_for_url("**/desk/recruitment/job-orders/*/")
    order_url = page.url

    # The migrant registers on a phone and keeps the code shown once.
    phone.goto(f"{site}/registry/register/")
    phone.fill("#id_surname_cyrillic", "Шарипов")
    phone.fill("#id_given_name_cyrillic", "Ҷамшед")
    phone.fill("#id_patronymic_cyrillic", "Набиевич")
    phone.fill("#id_surname_latin", "SHARIPOV")
    phone.fill("#id_given_name_latin", "JAMSHED")
    phone.check("#id_sex_0")
    phone.fill("#id_birth_date", "1994-03-15")
    phone.select_option("#id_region", "TJ-KT")
    phone.fill("#id_phone", "+992 93 555 1234")
    phone.fill("#id_passport_number", "401234567")
    phone.fill("#id_passport_expiry_date", (today + timedelta(days=5 * 365)).isoformat())
    phone.select_option("#id_education", "secondary")
    phone.select_option("#id_occupation", "921")
    phone.check("#id_languages_0")
    phone.check("#id_languages_1")
    phone.check("#id_consent")
    phone.click("[data-testid=register-form] button.primary")
    code = phone.inner_text("[data-testid=access-code]").strip()
    assert len(code) == 19
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # ...and applies for the job.
    phone.goto(f"{site}/recruitment/jobs/")
    phone.click("text=Greenhouse worker")
    phone.click("[data-testid=apply]")
    assert phone.inner_text("[data-testid=application-status]") == "Applied"

    # The officer shortlists the candidate, sends the shortlist, records the selection.
    page.goto(order_url)
    page.click("[data-testid=candidates] button:has-text('Shortlist')")
    page.click("button:has-text('Send the shortlisted candidates to the employer')")
    page.click("[data-testid=candidates] button:has-text('Selected')")
    page.click("[data-testid=candidates] a:has-text('Steps')")
    assert page.inner_text("[data-testid=application-status]") == "Selected by the employer"

    def record(kind: str, result: str = "done", scan: dict | None = None, **fields: str) -> None:
        page.select_option("#id_kind", kind)
        page.fill("#id_date", today.isoformat())
        page.select_option("#id_result", result)
        for name, value in fields.items():
            page.fill(f"#id_{name}", value)
        if scan is not None:
            page.set_input_files("#id_scan", scan)
        page.click("[data-testid=step-form] button.primary")
        page.wait_for_selector(".msg.success")

    record("language_test", "passed", score="74")
    record("skills_test", "passed", score="88")
    record("orientation", "passed", certificate="PDO-2026-0117")
    record("training", "passed", certificate="VT-2026-0442")
    record("medical", "passed")
    contract = b"%PDF-1.7\n% the signed standard contract\n%%EOF\n"
    record("contract", "done", scan={"name": "скан.pdf", "mimeType": "x", "buffer": contract})
    assert page.locator("[data-testid=blockers] li").all_inner_texts()[0].startswith("Ticket")
    with page.expect_download() as download:
        page.click("[data-testid=contract-scan]")
    assert Path(download.value.path()).read_bytes() == contract
    record(
        "ticket",
        travel_date=(today + timedelta(days=3)).isoformat(),
        carrier="Somon Air SZ 201",
        travel_from="Dushanbe",
        travel_to="Samara",
    )
    assert page.locator("[data-testid=blockers] li").all_inner_texts()[0].startswith("Departure")
    record("departure", crossing_point="Dushanbe International Airport")
    assert page.inner_text("[data-testid=application-status]") == "Departed"
    record("return")
    assert page.inner_text("[data-testid=application-status]") == "Returned home"

    # The migrant sees the status, every step, and who opened the record.
    phone.goto(f"{site}/recruitment/my/")
    assert phone.inner_text("[data-testid=application-status]") == "Returned home"
    assert "VT-2026-0442" in phone.inner_text("[data-testid=my-application]")
    assert "Somon Air SZ 201" in phone.inner_text("[data-testid=my-application]")
    assert phone.is_visible("[data-testid=contract-on-file]")
    with phone.expect_download() as own:
        phone.click("[data-testid=contract-on-file] a")
    assert Path(own.value.path()).read_bytes() == contract
    phone.goto(f"{site}/registry/me/")
    assert "recruiter (aoe)" in phone.inner_text("[data-testid=accesses]")
