"""Importing published figures: dry run, source and import kept, no duplicates, refusals."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hamroh.stats import services
from hamroh.stats.figures import read_figures
from hamroh.stats.models import Figure, ImportBatch
from hamroh.stats.tests.factories import figure, store

pytestmark = pytest.mark.django_db

FILE = (
    "source;reporter;measure;period;sex;area;origin_region;value\r\n"
    "MLME;national;departures;2023;_T;_T;_T;652 014\r\n"
    "MLME;national;departures;2023;M;_T;_T;554804\r\n"
    "MVD;partner;arrivals;2021-01/2021-11;_T;RUS;_T;1597481\r\n"
)


def plan(*figures, update=False, dry_run=False):
    return services.import_figures(
        figures=list(figures), file_name="f.csv", actor_label="test", update=update, dry_run=dry_run
    )


def test_it_reads_a_figures_file_with_periods_and_grouped_digits() -> None:
    figures, errors = read_figures(FILE.encode("cp1251"), "f.csv")
    assert errors == []
    assert [f.value for f in figures] == [652014, 554804, 1597481]
    assert (figures[2].period_start, figures[2].period_end) == (
        date(2021, 1, 1),
        date(2021, 11, 30),
    )
    assert figures[2].reporter_country == "RUS"


def test_each_figure_keeps_its_source_and_import() -> None:
    store(figure(652014), figure(554804, sex="M"))
    stored = Figure.objects.get(sex="M")
    assert stored.source == "National"
    assert stored.batch == ImportBatch.objects.get()


def test_a_dry_run_shows_what_would_change_and_writes_nothing() -> None:
    store(figure(100))
    result, batch = plan(figure(120), figure(5, sex="F"), update=True, dry_run=True)
    assert batch is None
    assert [(i.status, i.old_value) for i in result.items] == [("changed", 100), ("new", None)]
    assert Figure.objects.get().value == 100


def test_a_figure_imported_twice_with_the_same_value_is_left_alone() -> None:
    store(figure(100))
    result, batch = plan(figure(100))
    assert result.count("unchanged") == 1
    assert batch is None
    assert Figure.objects.count() == 1


def test_a_figure_imported_again_with_another_value_is_refused_with_both_values() -> None:
    store(figure(100))
    result, batch = plan(figure(120))
    assert batch is None
    assert "100" in result.errors[0] and "120" in result.errors[0]
    assert Figure.objects.get().value == 100


def test_replacing_a_changed_figure_records_the_new_import() -> None:
    store(figure(100))
    _result, batch = plan(figure(120), update=True)
    assert batch is not None and batch.updated == 1
    assert Figure.objects.get().value == 120
    assert Figure.objects.get().batch == batch


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": -5}, "value"),
        ({"value": 5, "area": "XXX"}, "area"),
        ({"value": 5, "sex": "X"}, "sex"),
        ({"value": 5, "origin_region": "TJ-ZZ"}, "origin_region"),
        ({"value": 5, "measure": "visits"}, "measure"),
    ],
)
def test_bad_codes_and_negative_counts_are_refused_naming_the_field(changes, field) -> None:
    values = {"value": changes.pop("value")}
    result, batch = plan(figure(**values, **changes))
    assert batch is None
    assert f"field {field}" in result.errors[0]


def test_a_period_overlapping_another_of_the_same_series_is_refused() -> None:
    store(figure(10, period_start=date(2023, 1, 1), period_end=date(2023, 6, 30)))
    result, batch = plan(figure(10, period_start=date(2023, 4, 1), period_end=date(2023, 9, 30)))
    assert batch is None
    assert "overlaps" in result.errors[0]


def test_a_month_inside_a_stored_year_is_not_an_overlap() -> None:
    store(figure(100))
    result, batch = plan(figure(9, period_start=date(2023, 3, 1), period_end=date(2023, 3, 31)))
    assert result.errors == []
    assert batch is not None


def test_the_same_figure_twice_in_one_file_is_refused() -> None:
    result, batch = plan(figure(1), figure(2))
    assert batch is None
    assert "already on line" in result.errors[0]


def test_one_bad_figure_refuses_the_whole_import() -> None:
    _result, batch = plan(figure(1), figure(2, sex="M"), figure(-1, sex="F"))
    assert batch is None
    assert not Figure.objects.exists()


def test_the_command_line_import_has_a_dry_run(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(FILE, encoding="utf-8")
    out = StringIO()
    call_command("stats", "import-figures", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue()
    assert not Figure.objects.exists()
    call_command("stats", "import-figures", str(path), stdout=StringIO())
    assert Figure.objects.count() == 3


def test_the_command_line_import_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(FILE.replace("554804", "-1"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("stats", "import-figures", str(path), stderr=err, stdout=StringIO())
    assert "figures.csv, line 3, field value" in err.getvalue()
