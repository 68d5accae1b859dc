"""Multi-row INSERTs on PostgreSQL whose statement text does not depend on the number of rows.

``INSERT … VALUES (…), (…), …`` has one placeholder per value, so every batch size is a new
statement that psycopg parses and converts again (it keeps the parsed form only of
statements with at most 50 parameters): that was a fifth of the public intake's CPU
(docs/performance.md, "Report intake"). Arrays, one per column, keep the text constant but
psycopg dumps each element in Python, which cost about as much. Here the rows travel as one
JSON document, written by the standard library's C encoder, and PostgreSQL reads them back
into the table's own row type (``json_populate_recordset``): one text, one parameter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Any

from django.db import connection
from django.db.models import Field
from psycopg.types.json import Json, Jsonb


def insert_sql(table: str, fields: Sequence[Field[Any, Any]]) -> str:
    """``INSERT INTO table (columns) SELECT columns FROM …(%s)``: the rows given by
    :func:`rows_json` for the same fields."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    return (
        f"INSERT INTO {quote(table)} ({columns}) SELECT {columns}"  # noqa: S608  (our models)
        f" FROM json_populate_recordset(NULL::{quote(table)}, %s::json)"
    )


def _plain(value: Any) -> Any:
    # What a prepared value (``Field.get_db_prep_save``) is as JSON: PostgreSQL reads the
    # text back with the column's own type (timestamps with their offset, exact decimals).
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | IPv4Address | IPv6Address):
        return str(value)
    if isinstance(value, Json | Jsonb):  # a JSONField's value, as Django wraps it
        return value.obj
    raise TypeError(f"no JSON form for {type(value).__name__}")


def rows_json(fields: Sequence[Field[Any, Any]], rows: Iterable[Sequence[Any]]) -> str:
    """Rows of prepared values, in the order of ``fields``, as the parameter of
    :func:`insert_sql`."""
    names = [field.column for field in fields]
    return json.dumps(
        [dict(zip(names, row, strict=True)) for row in rows],
        default=_plain,
        ensure_ascii=False,
        separators=(",", ":"),
    )
