"""The two staff groups and exactly what each may do.

The data migrations created the groups with the permissions of their day (their lists are
frozen there). This module holds today's lists and re-applies them after every ``migrate`` —
and after every ``flush``, which empties the tables the migrations filled — so a group's rights
are always what the code says, never what was clicked in the user admin.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

CRUD = ("add", "change", "delete", "view")


def _crud(app_label, *models):
    return [f"{app_label}.{action}_{model}" for model in models for action in CRUD]


EDITORS = sorted(
    [
        *_crud("comparisons", "role", "comparison", "comparisonrow", "sharedpoint"),
        *_crud("pages", "page", "relatedlink"),
        *_crud("faq", "faq", "faqplacement", "topic"),
        *_crud("taggit", "tag", "taggeditem"),
        *_crud("harness_cms", "redirect", "author", "byline"),
        *_crud("images", "image"),
        "harness_cms.view_contentitem",
        "harness_cms.view_sitesettings",
        "harness_cms.change_sitesettings",
        "comparisons.publish_role",
        "comparisons.publish_comparison",
        "pages.publish_page",
        "faq.publish_faq",
    ]
)

FAQ_STAFF = sorted(
    [
        "faq.add_faq",
        "faq.change_faq",
        "faq.view_faq",
        "faq.add_faqplacement",
        "faq.change_faqplacement",
        "faq.delete_faqplacement",
        "faq.view_faqplacement",
    ]
)

GROUPS = {"Editors": EDITORS, "FAQ staff": FAQ_STAFF}


def sync_groups(using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Create the groups if missing and give each exactly its permissions (post_migrate).

    After a partial migrate (an app taken back to zero) some models do not exist; the groups
    are then left alone until a migrate brings everything back.
    """
    needed = {perm.split(".")[0] for perms in GROUPS.values() for perm in perms} | {"auth"}
    try:
        for label in needed:
            apps.get_app_config(label)
    except LookupError:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions of apps later in INSTALLED_APPS may not exist yet when this runs.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    for name, perms in GROUPS.items():
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is None:  # its model is not in this migration state
                return
            wanted.append(permission)
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(wanted)


def may_pick_links(user):
    """Who may search items for the link picker of Markdown fields: editors (they may view
    every item), and FAQ staff, who link FAQ answers to pages."""
    return (
        user.is_active
        and user.is_staff
        and (
            user.has_perm("harness_cms.view_contentitem")
            or user.has_perm("faq.add_faq")
            or user.has_perm("faq.change_faq")
        )
    )
