"""Every migration can be undone: each app migrates to zero and back, with content present."""

import json

import pytest
from django.db.migrations.loader import MigrationLoader

from tests.operations.drill import Databases, engine, manage
from tests.security.conftest import report

# The task queue's own app (django-tasks-db, decision 0110): its table holds queued work, no
# content, and one of its migrations (0013, a data migration) has no reverse; it is left as is.
NOT_OURS = {"django_tasks_database"}

# Run inside one manage.py process: migrate every app to zero (latest-dependent first, each
# with the demo content in place), then all the way up again, then load the demo once more.
ROUND_TRIP = f"""
from django.core.management import call_command
from django.db import connection
import pytest
from django.db.migrations.loader import MigrationLoader

loader = MigrationLoader(connection)
order = []
for app, name in loader.graph.leaf_nodes():
    for node in loader.graph.forwards_plan((app, name)):
        if node[0] not in order:
            order.append(node[0])
for app in reversed(order):
    if app not in {NOT_OURS!r}:
        call_command("migrate", app, "zero", verbosity=0)
left = {{
    table for table in connection.introspection.table_names()
    if table != "django_migrations" and not table.startswith("django_tasks_database")
}}
assert not left, f"tables left after migrating everything to zero: {{sorted(left)}}"
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
print("APPS:", " ".join(reversed(order)))
"""


def test_every_app_migrates_to_zero_and_back_with_content(tmp_path):
    dbs = Databases(tmp_path)
    try:
        site = dbs.url("migrations")
        manage(site, "migrate", "--no-input")
        manage(site, "load_demo")
        manage(site, "create_demo_accounts")
        output = manage(site, "shell", "-c", ROUND_TRIP)
        apps = output.split("APPS:", 1)[1].split()
    finally:
        dbs.drop_all()
    assert {"harness_cms", "comparisons", "pages", "faq", "taggit", "axes"} <= set(apps)
    report(f"migrations ({engine()}): {len(apps)} apps to zero and back up: {' '.join(apps)}")


def test_every_migration_operation_has_a_reverse():
    """RunPython needs reverse_code and RunSQL reverse_sql: checked before any database runs."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if app not in NOT_OURS
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []
    assert len(loader.disk_migrations) > 10


# What the site's people made must survive an app taken back and forward again: group
# memberships (the groups are auth's rows, not the app's) and redirects (the core's table,
# which an FAQ app taken to zero has no business dropping).
KEPT = """
import json
from django.contrib.auth.models import User
from harness_cms.core.models import Redirect
print("KEPT:" + json.dumps({
    "members": sorted((u.username, g.name) for u in User.objects.all() for g in u.groups.all()),
    "redirects": sorted(Redirect.objects.values_list("old_path", flat=True)),
}))
"""

MOVE_A_PAGE = (
    "from pages.models import Page; p = Page.objects.exclude(is_home=True).first(); "
    "p.slug = p.slug + '-moved'; p.save()"
)


def kept(site):
    return manage(site, "shell", "-c", KEPT).split("KEPT:", 1)[1]


@pytest.mark.parametrize(
    ("app", "target", "keeps_redirects"),
    [
        ("faq", "zero", True),
        ("comparisons", "zero", True),
        ("pages", "zero", True),
        # Below 0003 the redirects' own table goes, by definition; the memberships stay.
        ("harness_cms", "0001", False),
    ],
)
def test_memberships_and_redirects_outlive_an_app_taken_back_and_forward(
    tmp_path, app, target, keeps_redirects
):
    dbs = Databases(tmp_path)
    try:
        site = dbs.url(f"roundtrip_{app}")
        manage(site, "migrate", "--no-input")
        manage(site, "load_demo")
        manage(site, "create_demo_accounts")
        manage(site, "shell", "-c", MOVE_A_PAGE)
        before = json.loads(kept(site))
        assert ["editor", "Editors"] in before["members"] and before["redirects"]
        manage(site, "migrate", app, target, "--no-input")
        manage(site, "migrate", "--no-input")
        after = json.loads(kept(site))
    finally:
        dbs.drop_all()
    assert after["members"] == before["members"]
    assert after["redirects"] == (before["redirects"] if keeps_redirects else [])
