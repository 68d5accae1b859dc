"""The ``hamroh`` command on a real database file, as an administrator would run it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hamroh import cli


def _hamroh(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "HAMROH_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "HAMROH_ENV": "development",
        "HAMROH_LANGUAGE": "en",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "hamroh.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


def test_help_lists_the_commands(capsys):
    cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("migrate", "serve", "demo", "audit verify", "screen", "dedupe"):
        assert command in out


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_server_commands_take_host_and_port(capsys, command):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out


def test_migrate_demo_and_audit_verify_on_a_fresh_file_then_detect_tampering(tmp_path):
    assert _hamroh(tmp_path, "migrate", "-v", "0").returncode == 0
    assert _hamroh(tmp_path, "load_demo_data").returncode == 0
    intact = _hamroh(tmp_path, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout
    in_russian = _hamroh(tmp_path, "audit", "verify", HAMROH_LANGUAGE="ru")
    assert "Цепочка" in in_russian.stdout

    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        db.execute("UPDATE core_auditentry SET actor_label = 'someone' WHERE seq = 5")
    broken = _hamroh(tmp_path, "audit", "verify")
    assert broken.returncode == 1
    assert "entry 5" in broken.stderr


def test_production_mode_refuses_unsafe_defaults(tmp_path):
    result = _hamroh(tmp_path, "migrate", HAMROH_ENV="production", SECRET_KEY="", DATABASE_URL="")
    assert result.returncode != 0
    assert "refuses to start in production" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_demo_data_is_never_loaded_in_production(settings, db):
    from hamroh.core.demo import load_demo_data

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        load_demo_data()
