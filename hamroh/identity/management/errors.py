"""Turn the engine's structured file errors into translated command-line messages."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from hamroh.identity.engine import PersonFileError


def file_error(error: PersonFileError) -> CommandError:
    if error.line is not None and error.field is not None:
        text = _("%(path)s, line %(line)d, field %(field)s: %(message)s")
    elif error.line is not None:
        text = _("%(path)s, line %(line)d: %(message)s")
    else:
        text = _("%(path)s: %(message)s")
    return CommandError(
        text
        % {"path": error.path, "line": error.line, "field": error.field, "message": error.message}
    )


def output_error(path: str, error: OSError) -> CommandError:
    return CommandError(
        _("Cannot write %(path)s: %(reason)s. Nothing was written.")
        % {"path": path, "reason": error.strerror or error}
    )
