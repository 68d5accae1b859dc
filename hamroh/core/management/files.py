"""What the import commands share: reading the file named on the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_input(name: str) -> tuple[Path, bytes]:
    """The file's path and bytes, or a translated :class:`CommandError` saying why not."""
    path = Path(name)
    try:
        return path, path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
        ) from None
