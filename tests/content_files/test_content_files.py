"""export_content and import_content: a round trip is lossless; bad files write nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version
from taggit.models import Tag

from comparisons.models import Comparison, Role
from faq.models import FAQ, Topic
from harness_cms.core.models import Author, ContentItem, RelatedLink, SiteSettings
from pages.models import Page
from tests.demo import load_demo

pytestmark = pytest.mark.django_db


def files_of(root):
    return {
        str(path.relative_to(root)): path.read_text(encoding="utf-8")
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


def empty_the_database():
    Comparison.objects.all().delete()
    Page.objects.all().delete()
    ContentItem.objects.all().delete()
    FAQ.objects.all().delete()
    Topic.objects.all().delete()
    Tag.objects.all().delete()
    SiteSettings.objects.all().delete()
    Author.objects.all().delete()


def content_counts():
    return [m.objects.count() for m in (ContentItem, Role, Comparison, FAQ, RelatedLink, Topic)]


@pytest.fixture
def demo():
    load_demo()


@pytest.fixture
def exported(demo, tmp_path):
    role = Role.objects.get(slug="ai-engineer")
    role.status = "draft"
    role.save()
    call_command("export_content", str(tmp_path / "first"), stdout=StringIO())
    return tmp_path / "first"


def test_round_trip_through_an_empty_database_gives_identical_files(exported, tmp_path):
    empty_the_database()
    assert content_counts() == [0, 0, 0, 0, 0, 0]
    call_command("import_content", str(exported), stdout=StringIO())
    call_command("export_content", str(tmp_path / "second"), stdout=StringIO())
    first, second = files_of(exported), files_of(tmp_path / "second")
    assert "roles/harness-engineer.md" in first and "faqs.yaml" in first
    assert first == second
    assert Role.objects.get(slug="ai-engineer").status == "draft"


def test_exported_files_carry_fields_tags_placements_and_cards(exported):
    text = (exported / "comparisons/harness-engineer-vs-ai-engineer.md").read_text()
    assert text.startswith("---\ntitle: Harness Engineer vs AI Engineer\n")
    for key in ("tags:", "faqs:", "related:", "next_step_links:", "rows:", "status: published"):
        assert key in text
    assert "\n---\n\n## The same product, two jobs" in text


def test_importing_again_changes_nothing_and_keeps_no_new_revision(exported):
    revisions = Version.objects.count()
    out = StringIO()
    call_command("import_content", str(exported), stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    assert Version.objects.count() == revisions


def test_dry_run_lists_the_changes_and_writes_nothing(exported):
    path = exported / "roles/harness-engineer.md"
    path.write_text(path.read_text().replace("title: Harness Engineer", "title: Harness Eng."))
    before = Role.objects.get(slug="harness-engineer").title
    version = Role.objects.get(slug="harness-engineer").version
    out = StringIO()
    call_command("import_content", str(exported), "--dry-run", stdout=out)
    assert "roles/harness-engineer.md: updated (title)" in out.getvalue()
    assert "Dry run, nothing written: 0 created, 1 updated" in out.getvalue()
    assert Role.objects.get(slug="harness-engineer").title == before
    call_command("import_content", str(exported), stdout=StringIO())
    role = Role.objects.get(slug="harness-engineer")
    # A form opened before the import is stale: the version moved (once for the item, once
    # for each of its rows the import wrote again).
    assert role.title == "Harness Eng." and role.version > version
    # The demo load made the first revision, this import the second.
    assert Version.objects.get_for_object(role).count() == 2


def test_progress_is_shown_for_every_file_at_verbosity_two(exported):
    out = StringIO()
    call_command("import_content", str(exported), verbosity=2, stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("[")]
    total = lines[-1].split("/")[1].split("]")[0]
    assert len(lines) == int(total) and lines[0].startswith(f"[1/{total}]")


def replace_in(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "comparisons/harness-engineer-vs-ai-engineer.md",
            "- replace-ai-engineer",
            "- no-such-faq",
            "comparisons/harness-engineer-vs-ai-engineer.md: faqs: no FAQ 'no-such-faq'",
        ),
        (
            "pages/harness-engineer--workflow.md",
            "role: harness-engineer",
            "role: nobody",
            "pages/harness-engineer--workflow.md: role: no role 'nobody'",
        ),
        (
            "roles/ai-engineer.md",
            "title: AI Engineer",
            "title: [AI Engineer",
            "roles/ai-engineer.md: front matter: front matter does not parse",
        ),
        (
            "roles/prompt-engineer.md",
            "slug: prompt-engineer",
            "slug: ai-engineer",
            "roles/prompt-engineer.md: slug: duplicate item",
        ),
        (
            "roles/ai-engineer.md",
            "status: draft",
            "status: draft\nunpublish_at: '2001-01-01T00:00:00+00:00'",
            "roles/ai-engineer.md: unpublish_at: comes before (or at) publish_at",
        ),
        (
            "roles/ai-engineer.md",
            "status: draft",
            "status: gone",
            "roles/ai-engineer.md: status: 'gone' is not one of",
        ),
        (
            "pages/home.md",
            "- target: /roles/harness-engineer/\n",
            "- target: /roles/nobody/\n",
            "pages/home.md: related: no item at '/roles/nobody/'",
        ),
    ],
)
def test_bad_files_name_the_file_and_field_and_write_nothing(exported, file, old, new, message):
    replace_in(exported / "roles/harness-engineer.md", "title: Harness Engineer", "title: New")
    replace_in(exported / file, old, new)
    empty_the_database()
    with pytest.raises(CommandError) as error:
        call_command("import_content", str(exported), stdout=StringIO())
    assert "Nothing imported" in str(error.value)
    assert message in str(error.value)
    assert content_counts() == [0, 0, 0, 0, 0, 0]


def test_a_missing_directory_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("import_content", str(tmp_path / "nope"), stdout=StringIO())


def test_the_demo_folder_imports_as_it_is(db):
    from harness_cms.content_files.demo import DEMO_DIR

    call_command("import_content", str(DEMO_DIR), stdout=StringIO())
    assert Comparison.objects.published().count() == 2
    assert FAQ.objects.published().count() >= 8
