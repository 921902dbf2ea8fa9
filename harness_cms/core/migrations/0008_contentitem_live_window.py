"""Each item stores the window in which the public may see it (its own publishing window and
those of the roles it depends on), so the visibility test reads two columns of one table."""

from django.db import migrations, models

# The rule as it stood when the columns came, frozen here: a migration must not change with
# the code (today's rule: harness_cms.core.visibility and ContentItem.windows()).


def _own(status, publish_at, unpublish_at):
    if status != "published" or publish_at is None:
        return None
    return publish_at, unpublish_at


def _live(windows):
    if any(window is None for window in windows):
        return None, None
    ends = [window[1] for window in windows if window[1] is not None]
    return max(window[0] for window in windows), min(ends) if ends else None


def fill_live_windows(apps, schema_editor):
    item = apps.get_model("harness_cms", "ContentItem")
    comparison = apps.get_model("comparisons", "Comparison")
    page = apps.get_model("pages", "Page")
    fields = ("pk", "status", "publish_at", "unpublish_at")
    own = {row[0]: _own(*row[1:]) for row in item.objects.values_list(*fields)}
    depends_on = {pk: (a, b) for pk, a, b in comparison.objects.values_list("pk", "role_a", "role_b")}
    depends_on.update((pk, (role,) if role else ()) for pk, role in page.objects.values_list("pk", "role"))
    changed = []
    for pk, window in own.items():
        live_from, live_until = _live([window, *(own[role] for role in depends_on.get(pk, ()))])
        changed.append(item(pk=pk, live_from=live_from, live_until=live_until))
    item.objects.bulk_update(changed, ["live_from", "live_until"], batch_size=500)


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
