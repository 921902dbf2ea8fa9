"""A GIN index for full-text search, on PostgreSQL only (SQLite has no such index).

The indexed expression must stay identical to harness_cms.search.item_vector(), or PostgreSQL
will not use the index; tests/search/test_search.py checks that it does.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "contentitem_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    ContentItem = apps.get_model("harness_cms", "ContentItem")
    vector = SearchVector("title", weight="A", config="english") + SearchVector(
        "search_text", weight="B", config="english"
    )
    schema_editor.add_index(ContentItem, GinIndex(vector, name=INDEX_NAME))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX_NAME}"')


class Migration(migrations.Migration):
    dependencies = [("harness_cms", "0006_publish_permissions")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
