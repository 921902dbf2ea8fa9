"""Editors manage redirects (the redirect manager in the admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [f"{action}_redirect" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("harness_cms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="harness_cms", codename__in=PERMISSIONS
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="harness_cms", codename__in=PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("harness_cms", "0003_redirect_and_cluster_health"),
        ("harness_cms", "0002_editor_and_faq_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
