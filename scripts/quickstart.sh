#!/usr/bin/env bash
# Set up Hamroh in ./.venv and serve it with demo data on http://127.0.0.1:8000
# Usage: scripts/quickstart.sh [--host H] [--port P]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/hamroh demo "$@"
