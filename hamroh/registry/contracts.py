"""What other apps may rely on: how the portal remembers the person who entered their code."""

from __future__ import annotations

from django.http import HttpRequest

PORTAL_SESSION_KEY = "registry_person_id"


def portal_person_id(request: HttpRequest) -> int | None:
    """The registry id of the person signed in on the portal with their access code, if any."""
    value = request.session.get(PORTAL_SESSION_KEY)
    return int(value) if value else None
