"""Fixtures the registry's desk-import tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def desk_imports(settings: Any, tmp_path: Path, client: Any) -> None:
    """Imports run at once (the worker's task inline), uploads go to a private data folder,
    and pages are read in English."""
    # Setting TASKS resets django-tasks' backends (its setting_changed receiver).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DATA_DIR = tmp_path / "data"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
