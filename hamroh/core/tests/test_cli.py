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


SHIPPED_COMMANDS = sorted(
    path.stem
    for path in Path(cli.__file__).parent.glob("*/management/commands/*.py")
    if not path.stem.startswith("_")
)


@pytest.mark.parametrize("command", SHIPPED_COMMANDS)
def test_every_command_we_ship_explains_itself(capsys, command):
    """`hamroh COMMAND --help` answers for each of our commands (a lazy translated help text
    once crashed argparse), in the operator's language."""
    with pytest.raises(SystemExit) as stopped:
        cli.main([command, "--help"])
    assert stopped.value.code == 0
    assert f"hamroh {command}" in capsys.readouterr().out


def test_help_names_every_command_hamroh_ships(capsys):
    """An operator reads `hamroh --help` to set up cron: no command of ours may be missing."""
    cli.main(["--help"])
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line[:2] == "  "}
    shipped = set(SHIPPED_COMMANDS)
    imports = {name for name in shipped if name.startswith("import_")}
    assert "import" in listed
    assert shipped - imports - {"db_worker"} <= listed | {"audit"}, shipped - listed


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


def _children(pid: int) -> set[int]:
    found = set()
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(status.parent.name))
    return found


def test_serve_runs_background_tasks_and_stops_its_worker(tmp_path):
    """`hamroh serve` on a single machine also runs queued tasks (screening runs, imports)."""
    import signal
    import socket
    import time
    import urllib.request

    assert _hamroh(tmp_path, "migrate", "-v", "0").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "HAMROH_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "HAMROH_ENV": "development",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "hamroh.cli", "serve", "--port", str(port), "--workers", "1"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        enqueue = _hamroh(
            tmp_path,
            "shell",
            "-c",
            "from hamroh.assistance.tasks import escalate_cases; "
            "print(escalate_cases.enqueue().id)",
        )
        assert enqueue.returncode == 0, enqueue.stderr
        task_id = enqueue.stdout.split()[-1]  # after Django's "N objects imported" line
        check = (
            "from hamroh.assistance.tasks import escalate_cases; "
            f"print(escalate_cases.get_result('{task_id}').status)"
        )
        while "SUCCESSFUL" not in (status := _hamroh(tmp_path, "shell", "-c", check)).stdout:
            assert time.monotonic() < deadline + 60, f"not run: {status.stdout} {status.stderr}"
            time.sleep(1)
        workers = {
            pid
            for pid in _children(server.pid)
            if b"\0worker\0" in Path(f"/proc/{pid}/cmdline").read_bytes()
        }
        assert len(workers) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    time.sleep(0.5)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


@pytest.mark.django_db
@pytest.mark.parametrize("command", [["import_departures"], ["import_list", "--list", "x"]])
def test_import_commands_name_a_file_they_cannot_read(tmp_path, command):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"Cannot read .*missing\.csv: No such file"):
        call_command(command[0], str(tmp_path / "missing.csv"), *command[1:])
