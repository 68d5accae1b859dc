"""Signals other apps may listen to (recruitment puts a newly registered person on its roster)."""

from django.dispatch import Signal

# Sent after a person registered themselves on the portal; argument ``person``.
person_registered = Signal()

# Sent after a duplicate record was merged into another; arguments ``kept``, ``merged``.
people_merged = Signal()
