"""Each item stores the window in which the public may see it (its own publishing window and
those of the roles it depends on), so the visibility test reads two columns of one table."""

from django.db import migrations, models

from harness_cms.publishing import refresh_live_windows


def fill_live_windows(apps, schema_editor):
    refresh_live_windows(
        models=(
            apps.get_model("harness_cms", "ContentItem"),
            apps.get_model("comparisons", "Comparison"),
            apps.get_model("pages", "Page"),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("harness_cms", "0007_contentitem_search_index"),
        ("comparisons", "0002_alter_comparison_options_alter_role_options"),
        ("pages", "0002_alter_page_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentitem",
            name="live_from",
            field=models.DateTimeField(db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="contentitem",
            name="live_until",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(fill_live_windows, migrations.RunPython.noop),
    ]
