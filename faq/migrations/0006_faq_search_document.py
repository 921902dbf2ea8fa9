"""On PostgreSQL, each FAQ's search document is stored (a generated ``tsvector`` column with
its GIN index), as the items' are (harness_cms 0010): searching 100,000 answers no longer
turns each into a document on every query (decision 0089). Nothing on SQLite."""

from django.db import migrations


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE faq_faq ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('english'::regconfig, COALESCE(question, '')), 'A') || "
            "setweight(to_tsvector('english'::regconfig, COALESCE(answer_html, '')), 'B')) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX faq_document_gin ON faq_faq USING gin (search_document)"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE faq_faq DROP COLUMN search_document")


class Migration(migrations.Migration):
    dependencies = [("faq", "0005_alter_faq_slug_alter_topic_slug")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
