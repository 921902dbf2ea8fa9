"""On PostgreSQL, each item's search document is stored (a generated ``tsvector`` column with
its GIN index): search matches and ranks without turning every matched body into a document
again, which took a second with a few 200 KB bodies (decision 0089). SQLite searches through
its own trigram indexes (harness_cms.search.fts) and gets nothing here."""

from django.db import migrations

COLUMN = (
    "ALTER TABLE harness_cms_contentitem ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(search_text, '')), 'B')) STORED"
)
INDEX = (
    "CREATE INDEX contentitem_document_gin ON harness_cms_contentitem USING gin (search_document)"
)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COLUMN)
        schema_editor.execute(INDEX)
        # The expression index of 0007 served the search this column now serves.
        schema_editor.execute('DROP INDEX IF EXISTS "contentitem_search_gin"')


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE harness_cms_contentitem DROP COLUMN search_document")
        schema_editor.execute(
            "CREATE INDEX contentitem_search_gin ON harness_cms_contentitem USING gin (("
            "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
            "setweight(to_tsvector('english'::regconfig, COALESCE(search_text, '')), 'B')))"
        )


class Migration(migrations.Migration):
    dependencies = [("harness_cms", "0011_images_and_brand")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
