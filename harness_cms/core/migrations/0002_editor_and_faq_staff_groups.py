"""Create the Editors and FAQ staff groups with their permissions.

The permission lists are frozen here on purpose: a later migration that adds a model extends
them, so this one keeps working on a fresh database whatever the models become.

It depends on no content app: taking the FAQ app (or another) to zero must not take this
migration back, and with it the core's later ones (the redirects' table). Permissions of apps
not migrated yet are skipped; ``editorial.groups.sync_groups`` gives every group exactly its
permissions after each ``migrate``. Taken back, it leaves the groups where they are: they and
their members are the site's, and a migration forward again finds them (decision 0085).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")

EDITORS = [
    *(f"comparisons.{action}_{model}" for model in ("role", "comparison", "comparisonrow",
                                                     "sharedpoint") for action in CRUD),
    *(f"pages.{action}_{model}" for model in ("page", "relatedlink") for action in CRUD),
    *(f"faq.{action}_{model}" for model in ("faq", "faqplacement", "topic") for action in CRUD),
    *(f"taggit.{action}_{model}" for model in ("tag", "taggeditem") for action in CRUD),
    "harness_cms.view_contentitem",
    "harness_cms.view_sitesettings",
    "harness_cms.change_sitesettings",
]

FAQ_STAFF = [
    "faq.add_faq",
    "faq.change_faq",
    "faq.view_faq",
    "faq.add_faqplacement",
    "faq.change_faqplacement",
    "faq.delete_faqplacement",
    "faq.view_faqplacement",
]

GROUPS = {"Editors": EDITORS, "FAQ staff": FAQ_STAFF}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.add(*wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("harness_cms", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
