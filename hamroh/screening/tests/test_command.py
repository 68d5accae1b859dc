"""`hamroh import list FILE --list NAME`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from hamroh.core.models import AuditEntry
from hamroh.screening.models import ListVersion, RestrictionList

from .conftest import DEMO, ENTRIES, list_csv


def test_the_command_creates_and_loads_a_list(db, capsys):
    call_command(
        "import_list", str(DEMO / "entry_bans.csv"), "--list", "MVD bans", "--create", "entry_ban"
    )
    assert "MVD bans version 1 is in force: 300 entries, 300 added" in capsys.readouterr().out
    restriction_list = RestrictionList.objects.get(name="MVD bans")
    assert restriction_list.owner.is_operator and restriction_list.country_id == "RUS"
    audit = AuditEntry.objects.filter(object_type="screening.listversion").first()
    assert audit is not None and audit.actor_label == "hamroh import list"


def test_a_bad_file_fails_with_located_errors_and_keeps_the_version(people, entry_bans, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(list_csv(ENTRIES[0], ENTRIES[0]))
    with pytest.raises(CommandError) as caught:
        call_command("import_list", str(bad), "--list", entry_bans.name, "--user", "reviewer")
    assert "bad.csv, line 3, column “id”" in str(caught.value)
    assert ListVersion.objects.get(restriction_list=entry_bans, is_active=True).number == 1


def test_an_unknown_list_needs_create(db, tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes(list_csv(ENTRIES[0]))
    with pytest.raises(CommandError, match="add --create KIND"):
        call_command("import_list", str(path), "--list", "Nope")


def test_a_refused_value_is_said_plainly(db, tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes(list_csv(ENTRIES[0]))
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_list", str(path), "--list", "New", "--create", "entry_ban", "--country", "RU"
        )
    assert str(caught.value) == "country instance with alpha3 'RU' is not a valid choice."
    assert not RestrictionList.objects.filter(name="New").exists()


def test_a_list_created_for_a_refused_file_is_not_left_behind(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(list_csv(ENTRIES[0], ENTRIES[0]))
    with pytest.raises(CommandError, match="line 3"):
        call_command("import_list", str(bad), "--list", "New", "--create", "entry_ban")
    assert not RestrictionList.objects.filter(name="New").exists()
    assert not AuditEntry.objects.filter(object_type="screening.restrictionlist").exists()
