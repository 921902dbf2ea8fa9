"""A JSON export is checked row by row against this site's schema before a restore touches
anything: what PostgreSQL would refuse is refused on SQLite too, with the row and the rule."""

import json

import pytest

from harness_cms.operations.backup import BackupError, export_json, fingerprint, restore
from tests.factories import make_role, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def export(tmp_path):
    """The rows of a small site's export (a role, an editor)."""
    make_role("Harness Engineer", body="## Memory\n\nWhat it keeps.")
    make_staff("editor", "Editors")
    path = tmp_path / "site.json"
    export_json(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _set(rows, field, value, model="harness_cms.contentitem"):
    last = max(i for i, row in enumerate(rows) if row["model"] == model)
    rows[last]["fields"][field] = value
    return rows


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda rows: {"rows": rows}, "must hold a list of rows"),
        (lambda rows: ["a string", *rows], "row 1: not a row"),
        (lambda rows: [*rows, {"model": "nowhere.thing", "fields": {}}], "not a model of this"),
        (lambda rows: [*rows, {"model": "sessions.session", "fields": {}}], "not part of a backup"),
        (lambda rows: [{"model": "harness_cms.contentitem"}, *rows], "has no fields"),
        (lambda rows: _set(rows, "no_such_field", 1), "has no field 'no_such_field'"),
        (lambda rows: _set(rows, "title", "x" * 5000), "title: 5,000 characters, at most 200"),
        (lambda rows: _set(rows, "body", "x" * 200_001), "body: 200,001 characters"),
        (lambda rows: _set(rows, "title", "a\x00b"), "title: contains a NUL character"),
        (lambda rows: _set(rows, "version", 2**40), "version: 1099511627776 is outside"),
        (lambda rows: _set(rows, "version", "many"), "version: “many” value must be an integer"),
        (lambda rows: _set(rows, "status", "gone"), "status: 'gone' is not one of its choices"),
        (lambda rows: _set(rows, "updated_at", "yesterday"), "updated_at: “yesterday” value"),
        (lambda rows: _set(rows, "title", None), "title: must not be null"),
        (lambda rows: _set(rows, "groups", "Editors", model="auth.user"), "must be a list"),
        (lambda rows: _set(rows, "tagged_items", [], model="harness_cms.contentitem"), "stored"),
    ],
)
def test_a_row_this_schema_cannot_hold_is_refused_and_nothing_changes(
    export, tmp_path, change, says
):
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(change(export)), encoding="utf-8")
    before = fingerprint()
    with pytest.raises(BackupError) as refused:
        restore(path)
    assert says in str(refused.value)
    assert "Nothing was restored" in str(refused.value)
    assert fingerprint() == before


def test_the_refusal_lists_at_most_ten_problems(export, tmp_path):
    rows = [*export, *({"model": "nowhere.thing", "fields": {}} for _ in range(50))]
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(BackupError) as refused:
        restore(path)
    assert str(refused.value).count("not a model of this site") == 10
