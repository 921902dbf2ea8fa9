"""On PostgreSQL, each item's title is also stored as a search document of its own (a
generated ``tsvector`` column with its GIN index): a search of a common word finds the items
whose title holds it first, and ranks a bounded set of matches (decision 0150). Nothing on
SQLite."""

from django.db import migrations


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE harness_cms_contentitem ADD COLUMN search_title tsvector GENERATED "
            "ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(title, ''))) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX contentitem_title_gin ON harness_cms_contentitem USING gin (search_title)"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE harness_cms_contentitem DROP COLUMN search_title")


class Migration(migrations.Migration):
    dependencies = [("harness_cms", "0015_authors_and_bylines")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
