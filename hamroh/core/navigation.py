"""Menus built from what each app declares, so adding an app never means editing core.

An app lists its entries on its AppConfig (``desk_links``, ``portal_links``); the desk shows
an entry to a user whose role has the capability, the portal shows every entry. An entry
whose URL does not resolve is left out rather than breaking every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str | Promise
    capability: str = ""


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str


def _menu(attribute: str, allowed: set[str] | None) -> list[MenuItem]:
    items = []
    for config in apps.get_app_configs():
        for link in getattr(config, attribute, ()):
            if allowed is not None and link.capability and link.capability not in allowed:
                continue
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            items.append(MenuItem(url=url, label=str(link.label)))
    return items


def desk_menu(capabilities: set[str]) -> list[MenuItem]:
    return _menu("desk_links", capabilities)


def portal_menu() -> list[MenuItem]:
    return _menu("portal_links", None)
