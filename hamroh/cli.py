"""The ``hamroh`` command.

``migrate``, ``serve`` and ``demo`` are defined here because they chain several steps;
every other sub-command (``audit verify``, ``screen``, ``dedupe``, ``create_admin``, and
any Django management command) is handed to Django's management utility unchanged, so
``hamroh X --help`` and ``python manage.py X --help`` say the same thing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

OWN_COMMANDS = ("migrate", "serve", "demo")
# Friendlier names for management commands.
ALIASES = {"worker": "db_worker"}
DESCRIPTION = """Hamroh: safe, orderly labour migration.

commands:
  migrate            apply database migrations and load the reference data
  serve              migrate, then serve Hamroh with gunicorn (static files included)
                     and one background worker (--no-worker to run workers apart)
  demo               migrate, add demo agencies, users and records, then serve
  worker             run background tasks (imports, screening runs, notifications)
  audit verify       check the audit chain; exits 1 naming the first broken entry
  create_admin       create the operating agency and its first administrator
  screen             screen a people CSV against a restriction list CSV
  dedupe             find records of the same person in one CSV
  import KIND FILE   import records from a file (runs the import_KIND command)
  stats ACTION       statistics: export tables (SDMX, Excel, PDF), import published
                     figures, run the consistency checks
  send_messages      retry queued Telegram and SMS messages (for cron)
  escalate_cases     escalate cases past their response targets (for cron)
  discard_stale_imports
                     delete registry uploads left waiting over 7 days (for cron)
  load_demo_data     add the demo agencies and users without serving
  load_reference_data
                     (re)load countries, regions, occupations and sectors
  any other Django management command (see `hamroh help`)

Every command honours DATABASE_URL (default: a SQLite file in HAMROH_DATA_DIR, ./data).
Run `hamroh COMMAND --help` for the options of a command.
"""


def _console_language() -> str:
    """The operator's language: HAMROH_LANGUAGE, else the shell's locale, else English."""
    for name in ("HAMROH_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = os.environ.get(name, "")[:2].lower()
        if code in {"tg", "ru", "en"}:
            return code
    return "en"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")
    import django
    from django.utils import translation

    django.setup()
    translation.activate(_console_language())


def _migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("load_reference_data", verbosity=verbosity)


def worker_command() -> list[str]:
    """The background worker ``serve`` starts beside the web processes: all queues, no
    code reloading (the web server does not reload either)."""
    return [sys.executable, "-m", "hamroh.cli", "worker", "--queue-name", "*", "--no-reload"]


class _EmbeddedWorker:
    """One ``hamroh worker`` process for the life of the gunicorn master, so that screening
    runs and other background tasks also run on a single-machine install. Started when the
    server is ready (not in the forked web workers), stopped when the master exits."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, server: Any) -> None:
        self.process = subprocess.Popen(worker_command())  # noqa: S603 (our own command)

    def stop(self, server: Any) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _serve(
    host: str, port: int, workers: int, threads: int = 16, *, with_worker: bool = True
) -> None:
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    call_command("collectstatic", interactive=False, verbosity=0)
    # Imported after collectstatic: WhiteNoise indexes the static folder when it starts.
    from hamroh.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "timeout": 60,
                # No access log: request paths are not personal data, but query strings
                # from a careless form might be. Errors still go to stderr.
                "accesslog": None,
                "errorlog": "-",
                "proc_name": "hamroh",
                # One control socket per user would clash between two Hamroh servers.
                "control_socket_disable": True,
            }
            if with_worker:
                settings["when_ready"] = embedded.start
                settings["on_exit"] = embedded.stop
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    embedded = _EmbeddedWorker()
    print(f"Hamroh is serving on http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    Server().run()


def _add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("HAMROH_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("HAMROH_PORT", "8000")))
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("HAMROH_WORKERS", "2")),
        help="gunicorn worker processes (default 2, one per core of a small server)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("HAMROH_THREADS", "16")),
        help="threads per worker process (default 16: public reports that arrive together are "
        "written in one transaction, and more threads make larger groups)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        default=os.environ.get("HAMROH_EMBEDDED_WORKER", "1") == "0",
        help="do not start a background worker beside the web server (run `hamroh worker` "
        "apart, as a production install with several servers should; HAMROH_EMBEDDED_WORKER=0)",
    )


def _own_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamroh", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    migrate = commands.add_parser("migrate", help="apply migrations and load reference data")
    migrate.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    serve = commands.add_parser("serve", help="migrate, then serve with gunicorn")
    _add_server_arguments(serve)
    demo = commands.add_parser("demo", help="migrate, load demo data, then serve")
    _add_server_arguments(demo)
    return parser


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        _own_parser().print_help()
        return
    if argv[0] not in OWN_COMMANDS:
        from django.core.management import execute_from_command_line

        _setup_django()
        if argv[0] == "import" and len(argv) > 1 and not argv[1].startswith("-"):
            # `hamroh import departures FILE` runs the `import_departures` command.
            argv = [f"import_{argv[1]}", *argv[2:]]
        execute_from_command_line(["hamroh", ALIASES.get(argv[0], argv[0]), *argv[1:]])
        return
    options = _own_parser().parse_args(argv)
    _setup_django()
    if options.command == "migrate":
        _migrate(options.verbosity)
        return
    _migrate(verbosity=0)
    if options.command == "demo":
        from django.core.management import call_command

        call_command("load_demo_data")
    _serve(
        options.host,
        options.port,
        options.workers,
        options.threads,
        with_worker=not options.no_worker,
    )


if __name__ == "__main__":
    main()
