"""The demo cluster for tests, loaded as ``make run`` loads it, once per test process.

``load_demo`` builds the cluster from its content files through every model's ``save()``
(about 1,950 queries and 1.5 s of CPU), and some 300 tests start from it. The first of them in
a process runs the command and keeps the rows it wrote; the others load those rows as a restore
does (``loaddata``: raw saves, sequences reset on PostgreSQL; content types by name, as a
transactional test's flush numbers them anew). Only into an empty database: a
test that wrote content of its own first gets the command itself, so no row is overwritten.
The command's own behaviour is tested in tests/content_files/test_demo.py.
"""

import tempfile
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection

# Tables load_demo leaves alone, or that hold rows every test database starts with.
NOT_CONTENT = {"admin", "auth", "contenttypes", "sessions"}

_kept = {}


def load_demo():
    """What ``call_command("load_demo")`` does, from the rows it wrote the first time."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in NOT_CONTENT and model._meta.managed
    ]
    empty = not any(model._base_manager.exists() for model in models)
    key = (connection.vendor, connection.settings_dict["NAME"])
    if not empty or key not in _kept:
        call_command("load_demo", stdout=StringIO())
        if empty:
            rows = [row for model in models for row in model._base_manager.order_by("pk")]
            _kept[key] = serializers.serialize("json", rows, use_natural_foreign_keys=True)
        return
    with tempfile.TemporaryDirectory() as directory:
        fixture = Path(directory) / "demo.json"
        fixture.write_text(_kept[key])
        call_command("loaddata", str(fixture), verbosity=0)
