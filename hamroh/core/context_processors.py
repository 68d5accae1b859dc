from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hamroh.core.middleware import current_request_context
from hamroh.core.navigation import desk_menu, portal_menu
from hamroh.core.roles import capabilities_of


def hamroh(request: HttpRequest) -> dict[str, Any]:
    context = current_request_context()
    user = getattr(request, "user", None)
    capabilities = (
        set(capabilities_of(getattr(user, "role", "")))
        if user is not None and user.is_authenticated
        else set()
    )
    return {
        "LANGUAGE_AUTONYMS": settings.LANGUAGE_AUTONYMS,
        "HELPLINE": settings.HAMROH_HELPLINE,
        "REQUEST_ID": context.request_id if context else "",
        "DESK_MENU": desk_menu(capabilities) if capabilities else [],
        "PORTAL_MENU": portal_menu(),
    }
