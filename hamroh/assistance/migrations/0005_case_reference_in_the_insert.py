"""The case reference is written by the INSERT itself on PostgreSQL.

A BEFORE INSERT trigger builds ``HMR-<year of created_at in UTC>-<id, at least six digits>``
(what the service built in Python and wrote with a second statement), and ``db_default``
makes Django read it back with ``RETURNING``. SQLite has no trigger: the service still sets
the reference after the INSERT there.
"""

from typing import Any

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION assistance_case_reference() RETURNS trigger AS $$
BEGIN
    IF NEW.reference IS NULL THEN
        NEW.reference := 'HMR-'
            || extract(year FROM NEW.created_at AT TIME ZONE 'UTC')::integer::text
            || '-' || lpad(NEW.id::text, greatest(6, length(NEW.id::text)), '0');
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER assistance_case_reference BEFORE INSERT ON assistance_case
    FOR EACH ROW EXECUTE FUNCTION assistance_case_reference();
"""

DROP = """
DROP TRIGGER IF EXISTS assistance_case_reference ON assistance_case;
DROP FUNCTION IF EXISTS assistance_case_reference();
"""


def create_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0004_rate_counters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="reference",
            field=models.CharField(
                db_default=None, max_length=20, null=True, unique=True, verbose_name="reference"
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
