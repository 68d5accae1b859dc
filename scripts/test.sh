#!/usr/bin/env bash
# Every check Hamroh has: formatting, lint, types, migrations, translations, tests.
# Usage: scripts/test.sh [pytest arguments]
# Runs on SQLite unless DATABASE_URL names another database (CI runs PostgreSQL too).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

# Test runs keep their files apart from the demo's data folder.
export HAMROH_DATA_DIR="${HAMROH_DATA_DIR:-$PWD/var/test-data}"
mkdir -p "$HAMROH_DATA_DIR"

step() { printf '\n== %s\n' "$*"; }
step "ruff format --check"; .venv/bin/ruff format --check .
step "ruff check";          .venv/bin/ruff check .
step "mypy";                .venv/bin/mypy hamroh
step "migrations are up to date"; .venv/bin/python manage.py makemigrations --check --dry-run
step "every marked string is in its catalogue"; .venv/bin/python scripts/messages.py --check
step "translations compile"
if command -v msgfmt >/dev/null; then
    for po in hamroh/locale/*/LC_MESSAGES/django.po hamroh/*/locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o /dev/null "$po"; done
else
    echo "msgfmt (gettext) not installed: format check skipped; the tests still compare catalogues"
fi
step "pytest (database: ${DATABASE_URL:-SQLite})"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# Exit status 5 means "no tests collected": that is a failure here, never a pass.
exit "$status"
