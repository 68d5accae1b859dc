"""The unique partial index on passports, built again where 0005 lost it.

On PostgreSQL, 0005's ``AlterField`` of ``Document.number_index`` (``db_index=True`` → plain)
dropped every index on that column, and with the plain one the unique partial index
``registry_one_person_per_passport`` that the model still declares: one passport could be
stored for two people, and Django's migration state did not notice. SQLite rebuilt the table
in 0005 and kept it. Removing the constraint (``DROP INDEX IF EXISTS``) and adding it again
puts it back on both; the state is unchanged. Fails if duplicate passports were stored
meanwhile: merge those people first.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_indexes_without_like_copies"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="document",
            name="registry_one_person_per_passport",
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "passport")),
                fields=("number_index",),
                name="registry_one_person_per_passport",
            ),
        ),
    ]
