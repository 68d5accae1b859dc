"""Hamroh's identity engine: find the same person across scripts, spellings and registries.

Framework-free on purpose (no Django here): the registry, the screening app, the command
line and the benchmarks all call the same functions with plain frozen dataclasses.

* :func:`build_index` and :func:`lookup` — one interactive look-up against a loaded list.
* :func:`screen` — every person of a batch against a list: ``match`` / ``review`` pairs.
* :func:`dedupe` — clusters of records that are one person.
* :func:`read_person_csv` and the ``write_*`` functions — the CSV contract of DESIGN.md.

How it works, and why: ``docs/identity.md``.
"""

from .index import Index, build_index, lookup
from .linkage import dedupe, screen
from .person_csv import (
    PersonFileError,
    read_person_csv,
    write_clusters_csv,
    write_matches_csv,
)
from .records import BirthDate, Candidate, Cluster, Match, PersonRecord

__all__ = [
    "BirthDate",
    "Candidate",
    "Cluster",
    "Index",
    "Match",
    "PersonFileError",
    "PersonRecord",
    "build_index",
    "dedupe",
    "lookup",
    "read_person_csv",
    "screen",
    "write_clusters_csv",
    "write_matches_csv",
]
