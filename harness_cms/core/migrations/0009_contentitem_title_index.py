"""Lists of items are in title order: an index lets the database read the first few in order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("harness_cms", "0008_contentitem_live_window"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contentitem",
            index=models.Index(fields=["title"], name="contentitem_title"),
        ),
    ]
