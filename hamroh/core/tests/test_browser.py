"""The pages people use, driven in a real Chromium (Debian's, through Playwright)."""

from __future__ import annotations

import pytest

from hamroh.conftest import sign_in, use_language

pytestmark = pytest.mark.browser


def test_administrator_adds_a_representation_abroad(page, site):
    sign_in(page, site, "admin")
    use_language(page, "en")
    page.get_by_role("link", name="Agencies").first.click()
    page.get_by_role("link", name="Add an agency").click()
    page.fill("#id_code", "mlme-spb")
    page.select_option("#id_kind", "representation")
    page.select_option("#id_country", "RUS")
    page.fill("#id_name_tg", "Намояндагӣ дар Санкт-Петербург")
    page.fill("#id_name_ru", "Представительство в Санкт-Петербурге")
    page.fill("#id_name_en", "Representation in Saint Petersburg")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{site}/desk/agencies/")
    assert page.get_by_role("link", name="mlme-spb").is_visible()


def test_language_switch_is_remembered_across_pages(page, site):
    page.goto(site)
    page.select_option("[data-testid=language-select]", "ru")
    page.get_by_role("button", name="Change").click()
    assert page.locator("h1").inner_text() == "Работайте за рубежом безопасно"
    page.goto(f"{site}/desk/login/")
    assert page.locator("html").get_attribute("lang") == "ru"
    use_language(page, "tg")
    assert page.locator("html").get_attribute("lang") == "tg"
    page.goto(site)
    assert page.locator("h1").inner_text() == "Бехатар дар хориҷа кор кунед"


def test_caseworker_sees_own_work_only(page, site):
    sign_in(page, site, "caseworker")
    # The caseworker chose Russian; signing in brings that choice back.
    assert page.get_by_test_id("my-agency").inner_text().startswith("Представительство МТМЗН")
    assert page.locator("nav a[href='/desk/agencies/']").count() == 0
    response = page.goto(f"{site}/desk/agencies/")
    assert response.status == 403
    page.goto(f"{site}/desk/users/")
    usernames = page.locator("tbody td:first-child").all_inner_texts()
    assert "caseworker" in usernames
    assert "operator" not in usernames


def test_supervisor_verifies_the_audit_chain(page, site):
    sign_in(page, site, "supervisor")
    use_language(page, "en")
    page.goto(f"{site}/desk/audit/")
    page.get_by_role("button", name="Verify the chain").click()
    assert "intact" in page.get_by_test_id("verify-result").inner_text()


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_phone_and_desktop_screens(browser, site, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="tg-TJ")
    page = context.new_page()
    for path in ("/", "/desk/login/"):
        page.goto(f"{site}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
        assert page.get_by_test_id("language-select").is_visible()
    context.close()
