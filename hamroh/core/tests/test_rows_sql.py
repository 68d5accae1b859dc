"""Rows written through one JSON document (PostgreSQL) read back exactly as the ORM wrote them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from hamroh.core import rows_sql
from hamroh.core.models import AuditEntry

_FIELDS = AuditEntry._meta.concrete_fields


def _entry(seq: int, **values: object) -> AuditEntry:
    base: dict[str, object] = {
        "seq": seq,
        "at": datetime(2026, 12, 2, 15, 4, 5, 123456, tzinfo=UTC),
        "action": AuditEntry.Action.READ,
        "prev_hash": "0" * 64,
        "hash": f"{seq:064d}",
    }
    return AuditEntry(**{**base, **values})


def test_values_of_every_kind_read_back_unchanged(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the JSON insert is PostgreSQL's")
    entries = [
        _entry(
            900_001,
            actor_label='Ҷӯраев "Ҷамшед" O\'Brien \\ back\nslash',
            object_id="HMR-2026-000017",
            fields=["reporter_name", "шаҳр", 'a "quoted" name'],
            ip="2001:db8::1",
        ),
        _entry(900_002, ip="10.0.0.7", fields=[], request_id="b" * 32),
        _entry(900_003, ip=None, actor_label="", at=datetime(1999, 1, 1, tzinfo=UTC)),
    ]
    rows = [
        [field.get_db_prep_save(getattr(e, field.attname), connection) for field in _FIELDS]
        for e in entries
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            rows_sql.insert_sql(AuditEntry._meta.db_table, _FIELDS),
            [rows_sql.rows_json(_FIELDS, rows)],
        )
    stored = {e.seq: e for e in AuditEntry.objects.filter(seq__gte=900_001)}
    assert sorted(stored) == [900_001, 900_002, 900_003]
    for entry in entries:
        for field in _FIELDS:
            assert getattr(stored[entry.seq], field.attname) == getattr(entry, field.attname), field


def test_decimals_stay_exact_and_unknown_values_are_refused() -> None:
    text = json.dumps([Decimal("38.56789")], default=rows_sql._plain)
    assert text == '["38.56789"]'
    with pytest.raises(TypeError, match="object"):
        json.dumps([object()], default=rows_sql._plain)
