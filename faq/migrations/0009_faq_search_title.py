"""On PostgreSQL, each FAQ's question is also stored as a search document of its own (a
generated ``tsvector`` column with its GIN index): a search of a common word finds the answers
whose question holds it first, and ranks a bounded set of matches (decision 0150). Nothing on
SQLite."""

from django.db import migrations


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE faq_faq ADD COLUMN search_title tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english'::regconfig, COALESCE(question, ''))) STORED"
        )
        schema_editor.execute("CREATE INDEX faq_title_gin ON faq_faq USING gin (search_title)")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE faq_faq DROP COLUMN search_title")


class Migration(migrations.Migration):
    dependencies = [("faq", "0008_faq_last_reviewed")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
