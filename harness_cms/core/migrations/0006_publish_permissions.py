"""Give Editors the publish permissions; FAQ staff get none (editors publish their FAQs).

The list is frozen here, as in 0002. Like 0002 it does not depend on the FAQ app: a
permission whose app is not migrated yet is skipped (sync_groups grants it after migrate).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PUBLISH = [
    "comparisons.publish_role",
    "comparisons.publish_comparison",
    "pages.publish_page",
    "faq.publish_faq",
]


def _permissions(apps, names):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    for name in names:
        app_label, codename = name.split(".")
        yield from Permission.objects.filter(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*_permissions(apps, PUBLISH))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        for name in PUBLISH:
            app_label, codename = name.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("harness_cms", "0005_publishingrun_contentitem_version"),
        ("comparisons", "0002_alter_comparison_options_alter_role_options"),
        ("pages", "0002_alter_page_options"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
