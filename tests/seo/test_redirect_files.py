"""Redirects leave and enter as CSV: the export is what the import reads; an import checks
every row first, writes nothing on any problem, and a dry run only says what would change."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from harness_cms.core.models import Redirect
from harness_cms.seo import redirects
from tests.factories import make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    return make_role("Harness Engineer"), make_role("AI Engineer")


def test_the_export_reads_back_as_the_same_redirects(roles):
    harness, ai = roles
    Redirect.objects.create(old_path="/roles/old-harness/", target=harness)
    Redirect.objects.create(old_path="/roles/old-ai/", target=ai, reason="moved")
    text = redirects.export_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {
        "old_path": "/roles/old-ai/",
        "target": ai.path,
        "reason": "moved",
        "hits": "0",
    }
    Redirect.objects.all().delete()
    report = redirects.import_csv(text, dry_run=False)
    assert report.applied and sorted(report.created) == ["/roles/old-ai/", "/roles/old-harness/"]
    assert Redirect.objects.get(old_path="/roles/old-ai/").target_id == ai.pk


def test_a_dry_run_says_what_would_change_and_writes_nothing(roles):
    harness, ai = roles
    Redirect.objects.create(old_path="/same/", target=harness)
    Redirect.objects.create(old_path="/moves/", target=harness)
    text = f"old_path,target\n/same/,{harness.path}\n/moves/,{ai.path}\n/new/,{ai.path}\n"
    report = redirects.import_csv(text, dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (
        ["/new/"],
        ["/moves/"],
        ["/same/"],
    )
    assert not report.applied
    assert not Redirect.objects.filter(old_path="/new/").exists()
    assert Redirect.objects.get(old_path="/moves/").target_id == harness.pk


@pytest.mark.parametrize(
    "row, problem",
    [
        ("/x/,/roles/nobody/", "line 3: no page at '/roles/nobody/'"),
        ("https://evil.example/x/,{ai}", "line 3: Give the path only"),
        ("no-slash,{ai}", "line 3: An address starts with a slash"),
        ("{harness},{ai}", "line 3: {harness} is the address of"),
        ("/ok/,{ai},because", "line 3: unknown reason 'because'"),
        ("/first/,{ai}", "line 3: /first/ is also on line 2"),
    ],
)
def test_one_bad_row_and_nothing_is_written(roles, row, problem):
    harness, ai = roles
    row = row.format(harness=harness.path, ai=ai.path)
    text = f"old_path,target,reason\n/first/,{ai.path},\n{row}\n"
    report = redirects.import_csv(text, dry_run=False)
    assert not report.applied
    assert any(p.startswith(problem.format(harness=harness.path)) for p in report.problems), (
        report.problems
    )
    assert not Redirect.objects.exists()


def test_a_file_without_the_columns_is_refused():
    report = redirects.import_csv("from,to\n/a/,/b/\n", dry_run=False)
    assert report.problems == ["line 1: the header needs the columns old_path, target"]


def test_editors_export_and_import_in_the_admin(editor_client, roles):
    harness, _ = roles
    Redirect.objects.create(old_path="/roles/old-harness/", target=harness)
    export = editor_client.get(reverse("admin:redirect-export"))
    assert export["Content-Type"].startswith("text/csv")
    assert b"/roles/old-harness/" in export.content
    page = editor_client.get(reverse("admin:redirect-import"))
    assert page.status_code == 200 and 'name="dry_run"' in page.content.decode()
    upload = SimpleUploadedFile("r.csv", f"old_path,target\n/older/,{harness.path}\n".encode())
    dry = editor_client.post(reverse("admin:redirect-import"), {"file": upload, "dry_run": "on"})
    assert "Dry run: nothing written yet" in dry.content.decode()
    assert not Redirect.objects.filter(old_path="/older/").exists()
    upload = SimpleUploadedFile("r.csv", f"old_path,target\n/older/,{harness.path}\n".encode())
    done = editor_client.post(reverse("admin:redirect-import"), {"file": upload})
    assert "Imported" in done.content.decode()
    assert Redirect.objects.get(old_path="/older/").target_id == harness.pk


def test_a_file_that_is_not_utf8_is_a_form_error(editor_client):
    upload = SimpleUploadedFile("r.csv", "old_path,target\n/caf\xe9/,/\n".encode("latin-1"))
    response = editor_client.post(reverse("admin:redirect-import"), {"file": upload})
    assert "The file is not UTF-8 text." in response.content.decode()


def test_faq_staff_cannot_import(faq_staff_client):
    assert faq_staff_client.get(reverse("admin:redirect-import")).status_code == 403
