from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings: Any, tmp_path: Path) -> None:
    """Uploaded files land in a folder thrown away after the test, not in the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def forget_remembered_lookups() -> Any:
    """Each test starts and ends without remembered case types, crossing points and agencies
    (a rolled-back test leaves no signal behind)."""
    from hamroh.assistance import lookups

    lookups.forget()
    yield
    lookups.forget()
