"""Export writes only what import accepts, and deletions round-trip (issue point 12): random
content → export → import into an empty database → export again gives identical files."""

import tempfile
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement, Topic
from harness_cms.content_files.services import export_content, import_content
from harness_cms.core import references
from harness_cms.core.models import Author, Byline, ContentItem, RelatedLink
from pages.models import Page
from tests.content_files.test_content_files import empty_the_database, files_of
from tests.factories import make_link, make_page, make_role

pytestmark = pytest.mark.django_db


def test_a_card_whose_page_was_deleted_is_left_out_and_the_export_imports(tmp_path):
    role = make_role("Data Engineer")
    doomed = make_page("Doomed")
    make_link(role, doomed, title="To the doomed page")
    doomed.delete()
    _written, skipped = export_content(tmp_path)
    assert skipped and "has no destination; left out" in skipped[0]
    text = (tmp_path / "roles/data-engineer.md").read_text()
    assert "{}" not in text and "related" not in text
    report = import_content(tmp_path, dry_run=True)
    assert report.updated == []


def test_exporting_again_removes_the_files_of_deleted_items(tmp_path):
    make_role("Data Engineer")
    gone = make_role("Gone Engineer")
    export_content(tmp_path)
    assert (tmp_path / "roles/gone-engineer.md").exists()
    gone.delete()
    export_content(tmp_path)
    assert not (tmp_path / "roles/gone-engineer.md").exists()
    assert (tmp_path / "roles/data-engineer.md").exists()


def test_deletions_round_trip_and_the_dry_run_lists_them(tmp_path):
    make_role("Data Engineer")
    gone = make_role("Gone Engineer")
    Topic.objects.create(name="Old topic", slug="old-topic")
    export_content(tmp_path / "before")
    gone.delete()
    Topic.objects.all().delete()
    export_content(tmp_path / "after")

    empty_the_database()
    import_content(tmp_path / "before")
    assert Role.objects.filter(slug="gone-engineer").exists()
    out = StringIO()
    call_command("import_content", str(tmp_path / "after"), "--dry-run", stdout=out)
    assert "roles/gone-engineer.md: deleted" in out.getvalue()
    assert "topics.yaml: old-topic: deleted" in out.getvalue()
    assert "2 deleted" in out.getvalue()
    assert Role.objects.filter(slug="gone-engineer").exists()
    import_content(tmp_path / "after")
    assert not Role.objects.filter(slug="gone-engineer").exists()
    assert not Topic.objects.exists()
    export_content(tmp_path / "again")
    assert files_of(tmp_path / "after") == files_of(tmp_path / "again")


def test_a_folder_that_is_not_a_whole_export_deletes_nothing(tmp_path):
    make_role("Data Engineer")
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles/ml-engineer.md").write_text(
        "---\ntitle: ML Engineer\nslug: ml-engineer\n---\n\nBody.\n"
    )
    report = import_content(tmp_path)
    assert report.deleted == [] and Role.objects.count() == 2


@pytest.mark.parametrize("lead", ["Æ\n", "First line\nsecond line\n", "ends in two\n\n"])
def test_a_lead_ending_in_a_line_break_keeps_it(tmp_path, lead):
    """Written as a YAML block ("lead: |"), whose last line break the header's closing ---
    used to swallow (found by the property test below)."""
    role = make_role("Data Engineer")
    Role.objects.filter(pk=role.pk).update(lead=lead)
    export_content(tmp_path / "first")
    empty_the_database()
    import_content(tmp_path / "first")
    assert Role.objects.get(slug=role.slug).lead == lead
    export_content(tmp_path / "second")
    assert files_of(tmp_path / "first") == files_of(tmp_path / "second")


# --- The property: random content survives export → import → export ------------------------

TEXT = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]) | st.just("\n"),
    max_size=40,
)
SLUGS = st.lists(
    st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True), min_size=1, unique=True
)
STATUSES = st.sampled_from(["draft", "review", "published", "archived"])
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
TAGS = st.lists(st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), max_size=3)


@st.composite
def sites(draw):
    role_slugs = draw(SLUGS.filter(lambda slugs: "page" not in slugs).map(lambda s: s[:4]))
    roles = []
    for slug in role_slugs:
        roles.append(
            {
                "slug": slug,
                "title": draw(TEXT.filter(lambda t: t.strip())),
                "body": draw(TEXT),
                "lead": draw(TEXT),
                "status": draw(STATUSES),
                "publish_at": draw(st.none() | MOMENTS),
                "position": draw(st.integers(0, 50)),
                "tags": draw(TAGS),
            }
        )
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(role_slugs), st.sampled_from(role_slugs)).filter(
                lambda pair: pair[0] != pair[1]
            ),
            max_size=3,
            unique_by=lambda pair: frozenset(pair),
        )
    )
    pages = draw(
        st.lists(
            st.tuples(st.sampled_from([None, *role_slugs]), SLUGS.map(lambda s: s[0]), TEXT),
            max_size=3,
            unique_by=lambda page: (page[0], page[1]),
        )
    )
    faqs = draw(
        st.lists(st.tuples(SLUGS.map(lambda s: s[0]), TEXT), max_size=3, unique_by=lambda f: f[0])
    )
    return {
        "roles": roles,
        "pairs": pairs,
        "pages": pages,
        "faqs": faqs,
        "rows": draw(st.lists(st.tuples(TEXT, TEXT, TEXT), max_size=2)),
        "cards": draw(st.lists(st.tuples(TEXT, TEXT, st.booleans()), max_size=3)),
        "unpublish_after": draw(st.none() | st.integers(1, 1000)),
        "authors": draw(
            st.lists(
                st.tuples(SLUGS.map(lambda s: s[0]), TEXT, TEXT, st.booleans()),
                max_size=2,
                unique_by=lambda author: author[0],
            )
        ),
        # Links by reference in the text: (source, target, fragment), indexes into the items.
        "references": draw(
            st.lists(
                st.tuples(st.integers(0, 20), st.integers(0, 20), st.sampled_from(["", "#part"])),
                max_size=4,
            )
        ),
    }


def build(site):
    roles = {}
    for data in site["roles"]:
        role = Role.objects.create(
            title=data["title"],
            slug=data["slug"],
            body=data["body"],
            lead=data["lead"],
            status=data["status"],
            publish_at=data["publish_at"],
            unpublish_at=(
                data["publish_at"] + timedelta(hours=site["unpublish_after"])
                if data["publish_at"] and site["unpublish_after"]
                else None
            ),
            position=data["position"],
        )
        role.tags.set(data["tags"])
        roles[data["slug"]] = role
    items = list(roles.values())
    for a, b in site["pairs"]:
        comparison = Comparison.objects.create(role_a=roles[a], role_b=roles[b], status="draft")
        for position, (dimension, text_a, text_b) in enumerate(site["rows"]):
            ComparisonRow.objects.create(
                comparison=comparison,
                dimension=dimension[:120] or "d",
                role_a_text=text_a or "a",
                role_b_text=text_b or "b",
                position=position,
            )
            SharedPoint.objects.create(
                comparison=comparison, text=dimension or "s", position=position
            )
        items.append(comparison)
    for role_slug, slug, body in site["pages"]:
        items.append(
            Page.objects.create(
                title=f"Page {slug}", slug=slug, role=roles.get(role_slug), body=body, position=1
            )
        )
    topic = Topic.objects.create(name="Topic", slug="topic")
    for number, (slug, answer) in enumerate(site["faqs"]):
        faq = FAQ.objects.create(
            question=f"Question {number}?", slug=slug, answer=answer, topic=topic
        )
        for position, item in enumerate(items[:2]):
            FAQPlacement.objects.create(faq=faq, item=item, position=position)
    doomed = Page.objects.create(title="Doomed", slug="doomed-page-x")
    for position, (title, blurb, external) in enumerate(site["cards"]):
        source, target = items[0], items[-1] if len(items) > 1 else None
        if external or target is None:
            RelatedLink.objects.create(
                source=source, external_url="https://example.com/a", title=title or "t",
                blurb=blurb, position=position,
            )  # fmt: skip
        else:
            RelatedLink.objects.create(source=source, target=target, blurb=blurb, position=position)
    for position, (slug, name, bio, linked) in enumerate(site["authors"]):
        author = Author.objects.create(
            slug=slug,
            name=name.strip() or "An author",
            bio=bio,
            links="https://example.com/me\nhttps://example.org/profile" if linked else "",
        )
        Byline.objects.create(item=items[-1], author=author, position=position)
    RelatedLink.objects.create(source=items[0], target=doomed, title="to a deleted page")
    for number, (source, target, fragment) in enumerate(site["references"]):
        source, target = items[source % len(items)], items[target % len(items)]
        source.body += f"\n\nSee [link {number}](item:{target.pk}{fragment})."
        source.save()
    if site["faqs"]:
        faq = FAQ.objects.get(slug=site["faqs"][0][0])
        faq.answer += f" [A link](item:{items[-1].pk}) and [a dead one](item:{doomed.pk})."
        faq.save()
    doomed.delete()


@given(site=sites())
def test_random_content_round_trips_through_an_empty_database(db, site):
    empty_the_database()
    build(site)
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        export_content(first)
        empty_the_database()
        import_content(first)
        export_content(second)
        assert files_of(first) == files_of(second)
    assert_references_lead_to_items(site)


def assert_references_lead_to_items(site):
    """Every link by reference names an item of this database, the one at the address the
    link named before (the files say which: they are equal above)."""
    texts = [
        *Page.objects.values_list("body", flat=True),
        *Role.objects.values_list("body", flat=True),
        *Comparison.objects.values_list("body", flat=True),
    ]
    linked = [int(found[1]) for text in texts for found in references.MARKDOWN.findall(text)]
    assert len(linked) == len(site["references"])
    assert set(linked) <= set(ContentItem.objects.values_list("pk", flat=True))
