"""The registry's schema as the database holds it, not only as Django's migration state
believes it to be."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from hamroh.registry.models import Document
from hamroh.registry.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_database_holds_one_person_per_passport() -> None:
    """The unique partial index exists (0005 had lost it on PostgreSQL; 0006 builds it again),
    so that a passport is one person's on every backend."""
    first, _ = make_person(passport_number="400999001")
    second, _ = make_person(passport_number="400999002")
    kept = Document.objects.get(person=first, kind=Document.Kind.PASSPORT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            person=second, kind=Document.Kind.PASSPORT, number="x", number_index=kept.number_index
        )
    Document.objects.create(  # other documents may share a number
        person=second, kind=Document.Kind.OTHER, number="x", number_index=kept.number_index
    )
