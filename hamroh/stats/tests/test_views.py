"""The statistician's desk pages and the API: who may open them and what they show."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamroh.stats import services
from hamroh.stats.demo import FIGURES
from hamroh.stats.models import Figure, MirrorComparison
from hamroh.stats.tests.factories import depart, figure, store

pytestmark = pytest.mark.django_db

PAGES = [
    "stats:dashboard",
    "stats:table",
    "stats:checks",
    "stats:figures",
    "stats:mirror",
    "stats:export",
]


@pytest.fixture
def data() -> None:
    store(*FIGURES)
    depart(sex="M", destination="RUS")
    depart(sex="F", destination="KAZ", origin_region="TJ-KT-KULOB")


@pytest.mark.parametrize("name", PAGES)
def test_the_statistician_opens_every_page(data, people, client_for, name) -> None:
    assert client_for(people.statistician).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_other_roles_are_refused(people, client_for, name) -> None:
    assert client_for(people.caseworker).get(reverse(name)).status_code == 403


def test_the_table_shows_men_women_and_total(data, people, client_for) -> None:
    response = client_for(people.statistician).get(
        reverse("stats:table"),
        {"measure": "departures", "kind": "year", "year": 2023, "by": "destination", "then": ""},
    )
    body = response.content.decode()
    assert 'data-testid="grand-total">2<' in body
    # The published 2023 figures for the same period are shown next to it.
    assert "652,014" in body


def test_the_table_with_two_breakdowns_shows_sub_totals(data, people, client_for) -> None:
    response = client_for(people.statistician).get(
        reverse("stats:table"),
        {
            "measure": "departures",
            "kind": "year",
            "year": 2023,
            "by": "origin_region",
            "then": "origin_district",
        },
    )
    assert "Sub-total" in response.content.decode()


def test_the_table_page_asks_a_fixed_number_of_queries(data, people, client_for) -> None:
    client = client_for(people.statistician)
    params = {"measure": "departures", "kind": "year", "year": 2023, "by": "sex", "then": ""}
    client.get(reverse("stats:table"), params)
    # Each capture follows a write, so both count afresh instead of reading remembered tables.
    depart()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("stats:table"), {**params, "by": "channel"})
    for _ in range(10):
        depart()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("stats:table"), {**params, "by": "age_group"})
    assert len(few) == len(many)


def test_a_remembered_table_is_served_without_counting_again(data, people, client_for) -> None:
    client = client_for(people.statistician)
    params = {"measure": "departures", "kind": "year", "year": 2023, "by": "sex", "then": ""}
    client.get(reverse("stats:table"), params)
    with CaptureQueriesContext(connection) as again:
        response = client.get(reverse("stats:table"), params)
    assert not any("GROUP BY" in q["sql"] for q in again.captured_queries)
    assert 'data-testid="grand-total">2<' in response.content.decode()


def test_the_dashboard_draws_its_charts_in_svg(data, people, client_for) -> None:
    body = (
        client_for(people.statistician)
        .get(reverse("stats:dashboard"), {"year": 2023})
        .content.decode()
    )
    assert body.count("<svg") == 5
    assert "Departures by sex" in body


def test_the_dashboard_speaks_tajik(data, people, client_for) -> None:
    client = client_for(people.statistician)
    client.cookies["django_language"] = "tg"
    body = client.get(reverse("stats:dashboard"), {"year": 2023}).content.decode()
    assert '<html lang="tg">' in body


def test_the_checks_page_flags_the_2022_contradiction(data, people, client_for) -> None:
    body = client_for(people.statistician).get(reverse("stats:checks")).content.decode()
    assert "793,791" in body and "775,578" in body


def test_a_figure_upload_dry_run_changes_nothing(people, client_for) -> None:
    upload = SimpleUploadedFile(
        "f.csv",
        b"source,reporter,measure,period,sex,area,origin_region,value\nX,national,departures,2023,_T,_T,_T,5\n",
    )
    response = client_for(people.statistician).post(
        reverse("stats:figures"), {"file": upload, "dry_run": "on"}
    )
    assert 'data-testid="plan"' in response.content.decode()
    assert not Figure.objects.exists()


def test_a_figure_upload_imports_and_a_bad_one_is_located(people, client_for) -> None:
    client = client_for(people.statistician)
    good = b"source,reporter,measure,period,sex,area,origin_region,value\nX,national,departures,2023,_T,_T,_T,5\n"
    client.post(reverse("stats:figures"), {"file": SimpleUploadedFile("f.csv", good)})
    assert Figure.objects.get().value == 5
    bad = good.replace(b",5\n", b",-5\n")
    response = client.post(
        reverse("stats:figures"), {"file": SimpleUploadedFile("g.csv", bad)}, follow=True
    )
    assert "g.csv, line 2, field value" in response.content.decode()


def test_the_mirror_page_records_a_comparison(data, people, client_for) -> None:
    partner = Figure.objects.get(reporter="partner")
    ours = Figure.objects.get(period_end=date(2021, 10, 31))
    response = client_for(people.statistician).post(
        reverse("stats:mirror"),
        {
            "partner_figure": partner.pk,
            "our_figure": ours.pk,
            "explanation": "crossings",
            "explanation_text": "Entries, not persons.",
            "agreed_value": "",
            "derivation": "",
        },
    )
    assert response.status_code == 302
    comparison = MirrorComparison.objects.get()
    assert (comparison.our_value, comparison.partner_value) == (331_353, 1_597_481)


def test_the_export_downloads_sdmx_csv(data, people, client_for) -> None:
    response = client_for(people.statistician).get(
        reverse("stats:export"), {"format": "sdmx-csv", "start": "2023-01-01", "end": "2023-12-31"}
    )
    assert response["Content-Disposition"].endswith('.csv"')
    assert response.content.startswith(b"STRUCTURE,STRUCTURE_ID,ACTION")


def test_the_api_serves_a_table(data, people, client_for) -> None:
    response = client_for(people.statistician).get(
        "/api/v1/stats/tables/", {"period": "2023", "by": "sex"}
    )
    assert response.status_code == 200
    assert response.json()["rows"][-1]["total"] == 2


def test_the_api_lists_figures_and_checks(data, people, client_for) -> None:
    client = client_for(people.statistician)
    figures = client.get("/api/v1/stats/figures/", {"measure": "arrivals"}).json()
    assert (
        figures["results"][0]["value"] == 1_597_481
        if "results" in figures
        else figures[0]["value"] == 1_597_481
    )
    checks = client.get("/api/v1/stats/checks/").json()
    assert any(f["rule"] == "subtotal" and not f["ok"] for f in checks)
    mirror = client.get("/api/v1/stats/mirror/").json()
    assert mirror[0]["ours"] == 331_353


def test_the_api_imports_figures_with_a_dry_run_first(people, client_for) -> None:
    client = client_for(people.statistician)
    body = {
        "figures": [
            {
                "source": "X",
                "reporter": "national",
                "measure": "departures",
                "period": "2023",
                "value": 7,
            }
        ]
    }
    dry = client.post("/api/v1/stats/figures/", body, content_type="application/json").json()
    assert dry["dry_run"] and dry["items"][0]["status"] == "new" and not Figure.objects.exists()
    done = client.post(
        "/api/v1/stats/figures/", {**body, "dry_run": False}, content_type="application/json"
    ).json()
    assert done["import_id"] and Figure.objects.get().value == 7


def test_the_api_refuses_other_roles(people, client_for) -> None:
    response = client_for(people.partner_mvd).get("/api/v1/stats/tables/", {"period": "2023"})
    assert response.status_code == 403


def test_the_openapi_schema_still_generates(people, client_for) -> None:
    assert client_for(people.admin).get("/api/schema/").status_code == 200


def test_a_remembered_table_is_labelled_in_each_readers_language(data, people, client_for) -> None:
    client = client_for(people.statistician)
    params = {
        "measure": "departures",
        "kind": "year",
        "year": 2023,
        "by": "destination",
        "then": "",
    }
    english = client.get(reverse("stats:table"), params).content.decode()
    client.cookies["django_language"] = "ru"
    russian = client.get(reverse("stats:table"), params).content.decode()
    assert "Kazakhstan" in english and "Kazakhstan" not in russian
    assert "Казахстан" in russian and "Всего" in russian


def _kpi_total(body: str) -> str:
    return body.split('data-testid="kpi-total">', 1)[1].split("<", 1)[0]


def test_the_dashboard_after_a_write_counts_few_summary_rows_in_fixed_queries(
    data, people, client_for
) -> None:
    client = client_for(people.statistician)
    dashboard = reverse("stats:dashboard")
    assert _kpi_total(client.get(dashboard, {"year": 2023}).content.decode()) == "2"
    # Each capture follows a write, so nothing is remembered: the whole dashboard is counted.
    depart(destination="TUR")
    with CaptureQueriesContext(connection) as few:
        first = client.get(dashboard, {"year": 2023}).content.decode()
    for n in range(10):
        depart(origin_region="TJ-KT" if n % 2 else "TJ-RA", departure_date=date(2023, 1 + n, 5))
    with CaptureQueriesContext(connection) as many:
        again = client.get(dashboard, {"year": 2023}).content.decode()
    assert (_kpi_total(first), _kpi_total(again)) == ("3", "13")
    assert len(few) == len(many)
    counted = [q["sql"] for q in many.captured_queries if "GROUP BY" in q["sql"]]
    # Four tables, each one grouped sum of the summary rows: neither cells nor records.
    assert len(counted) == 4
    assert all("stats_departuresummary" in sql for sql in counted)
    assert not any(
        "stats_departurecell" in q["sql"] or 'FROM "stats_departure"' in q["sql"]
        for q in many.captured_queries
        if "MAX(" not in q["sql"]
    )


def test_an_import_leaves_the_dashboard_counted_and_right(
    data, people, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for(people.statistician)
    dashboard = reverse("stats:dashboard")
    client.get(dashboard)
    rows = "a1,M,1990,2023-02-01,RUS,,TJ-SU,711,individual\na2,F,1991,2023-03-01,KAZ,,TJ-KT,,organised\n"
    header = "person_id,sex,birth_date,departure_date,destination,destination_region,origin_region,occupation,channel\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.import_departures(data=(header + rows).encode(), file_name="d.csv")
    with CaptureQueriesContext(connection) as after_import:
        body = client.get(dashboard).content.decode()
    assert _kpi_total(body) == "4"
    assert not any("GROUP BY" in q["sql"] for q in after_import.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        store(figure(7, source="Other"))
    with CaptureQueriesContext(connection) as after_figures:
        body = client.get(dashboard).content.decode()
    assert _kpi_total(body) == "4"
    assert not any("GROUP BY" in q["sql"] for q in after_figures.captured_queries)
