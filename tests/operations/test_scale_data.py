"""generate_scale_data writes published items identical to what the admin's save() stores, that
respect every constraint, render, link only to pages that answer, and can be replaced."""

import random
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils.text import slugify
from taggit.models import TaggedItem

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement
from harness_cms.core.models import ContentItem, RelatedLink
from harness_cms.operations.scale_data import GENERATOR_USERNAME
from harness_cms.operations.scale_text import DOMAINS, FUNCTIONS, Writer, article
from pages.models import Page
from tests.factories import make_role

pytestmark = pytest.mark.django_db

SMALL = {"roles": 5, "comparisons": 8, "pages": 10, "faqs": 30}
MARK = {"updated_by__username": GENERATOR_USERNAME}


def generate(**options):
    out = StringIO()
    call_command("generate_scale_data", **{**SMALL, "seed": 7, **options}, stdout=out)
    return out.getvalue()


def snapshot(obj):
    """Every stored column of an item except the save timestamp."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in type(obj)._meta.concrete_fields
        if f.attname != "updated_at"
    }


@pytest.fixture
def generated():
    return generate()


def test_writes_the_requested_counts_all_published(generated):
    assert Role.objects.filter(**MARK).count() == 5
    assert Comparison.objects.filter(**MARK).count() == 8
    assert Page.objects.filter(**MARK).count() == 10
    assert FAQ.objects.filter(**MARK).count() == 30
    # The published() rules, including "a comparison is public only while its roles are".
    assert Role.objects.published().filter(**MARK).count() == 5
    assert Comparison.objects.published().filter(**MARK).count() == 8
    assert Page.objects.published().filter(**MARK).count() == 10
    assert FAQ.objects.published().filter(**MARK).count() == 30
    assert all(
        c.rows.count() >= 5 and c.shared_points.count() >= 2 for c in Comparison.objects.all()
    )
    items = ContentItem.objects.filter(**MARK)
    for item in items:
        assert item.faq_placements.exists(), item
        assert item.links.filter(section=RelatedLink.Section.RELATED).count() >= 3, item
        assert item.links.filter(section=RelatedLink.Section.NEXT).exists(), item
        assert TaggedItem.objects.filter(object_id=item.pk).exists(), item
    assert "Generated 5 roles, 10 pages, 8 comparisons" in generated


def test_every_item_passes_model_validation_and_constraints(generated):
    """full_clean() runs field validators, unique checks, the model constraints (no
    self-comparison, one comparison per pair, unique paths) and each model's clean()."""
    for item in ContentItem.objects.filter(**MARK):
        item.specific().full_clean()
    for faq in FAQ.objects.filter(**MARK):
        faq.full_clean()
    for link in RelatedLink.objects.filter(source__updated_by__username=GENERATOR_USERNAME):
        link.full_clean()
    pairs = [frozenset((c.role_a_id, c.role_b_id)) for c in Comparison.objects.all()]
    assert len(pairs) == len(set(pairs))
    assert all(len(pair) == 2 for pair in pairs)


def test_items_hold_exactly_what_save_would_store(generated):
    """Saving a generated item through the model changes nothing but its timestamp: path,
    rendered HTML, table of contents and search text were derived by the same code."""
    for item in ContentItem.objects.filter(**MARK):
        obj = item.specific()
        before = snapshot(obj)
        obj.save()
        obj.refresh_from_db()
        assert snapshot(obj) == before, obj.path
    for faq in FAQ.objects.filter(**MARK):
        before = snapshot(faq)
        faq.save()
        faq.refresh_from_db()
        assert snapshot(faq) == before, faq.slug


def test_rendered_fields_carry_headings_tables_and_links(generated):
    for item in ContentItem.objects.filter(**MARK):
        assert item.path and item.lead_html.startswith("<p>"), item
        assert "<h2" in item.body_html and item.toc, item
        assert item.title in item.search_text
        html = item.body_html + item.next_step_html
        assert re.search(r'<a href="/(roles|compare|guides)/', html)
        assert not re.search(r"<a [^>]*>\s*</a>", html), f"a link without text on {item.path}"
    for comparison in Comparison.objects.filter(**MARK):
        assert "<table>" in comparison.body_html
        assert comparison.verdict_html and comparison.role_a_summary_html
        assert comparison.slug == f"{comparison.role_a.slug}-vs-{comparison.role_b.slug}"
    assert all(faq.answer_html.startswith("<p>") for faq in FAQ.objects.all())


def test_every_generated_page_answers_and_its_links_resolve(generated, client):
    seen, queue = set(), list(ContentItem.objects.values_list("path", flat=True))
    queue += ["/", "/faq/"]
    while queue:
        path = queue.pop()
        if path in seen or path.startswith(("/admin", "/static")):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        if "text/html" in response["Content-Type"]:
            queue += [href.split("#")[0] for href in re.findall(r'href="(/[^"]*)"', response.text)]
    assert len(seen) >= 5 + 8 + 10


def test_the_same_seed_gives_the_same_site(generated):
    def site():
        items = ContentItem.objects.filter(**MARK).order_by("path")
        return (
            list(items.values_list("path", "title", "body")),
            sorted(FAQ.objects.filter(**MARK).values_list("question", "answer")),
        )

    first = site()
    generate(clear=True)
    assert site() == first
    generate(clear=True, seed=8)
    assert site() != first


def test_refuses_to_add_to_generated_data_without_clear(generated):
    before = ContentItem.objects.count(), FAQ.objects.count()
    with pytest.raises(CommandError, match="--clear"):
        generate()
    assert (ContentItem.objects.count(), FAQ.objects.count()) == before


def test_clear_replaces_only_generated_content():
    own = make_role("Harness Engineer")
    own.tags.add("editors")
    generate()
    generate(clear=True, roles=4, comparisons=6, pages=3, faqs=12)
    assert Role.objects.filter(**MARK).count() == 4
    assert Comparison.objects.count() == 6
    assert FAQ.objects.count() == 12
    assert Role.objects.filter(pk=own.pk).exists()
    assert list(own.tags.names()) == ["editors"]
    # Nothing of the first run is left behind, not even rows that point at deleted items.
    assert (
        FAQPlacement.objects.count()
        == FAQPlacement.objects.filter(item__in=ContentItem.objects.all()).count()
    )
    generated_ids = set(ContentItem.objects.values_list("pk", flat=True))
    tagged = TaggedItem.objects.exclude(content_type__model="faq")
    assert set(tagged.values_list("object_id", flat=True)) <= generated_ids
    assert (
        RelatedLink.objects.filter(source__in=generated_ids).count() == RelatedLink.objects.count()
    )
    assert SharedPoint.objects.filter(comparison__in=Comparison.objects.all()).count() > 0
    assert (
        ComparisonRow.objects.count()
        == ComparisonRow.objects.filter(comparison__in=Comparison.objects.all()).count()
    )


def test_existing_content_keeps_its_addresses(client):
    """Generated roles never take a slug an editor already uses."""
    call_command("load_demo", stdout=StringIO())
    demo_paths = set(ContentItem.objects.values_list("path", flat=True))
    generate(roles=12, comparisons=30)
    assert demo_paths <= set(ContentItem.objects.values_list("path", flat=True))
    assert Role.objects.count() == 3 + 12
    assert client.get("/compare/harness-engineer-vs-ai-engineer/").status_code == 200


def test_role_titles_skip_taken_slugs():
    everything = {slugify(f"{d} {f}") for d in DOMAINS for f in FUNCTIONS}
    free = "context-engineer"
    slugs = [slugify(t) for t in Writer(random.Random(1)).role_titles(3, everything - {free})]
    assert slugs[0] == free
    assert not set(slugs) & (everything - {free})
    assert len(set(slugs)) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"roles": 3, "comparisons": 4}, "3 roles allow at most 3 comparisons"),
        ({"roles": 0, "comparisons": 0}, "give --roles 1 or more"),
        ({"faqs": -1}, "--faqs must be 0 or more"),
        ({"batch_size": 0}, "--batch-size must be 1 or more"),
    ],
)
def test_impossible_counts_are_refused_and_write_nothing(options, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        generate(**options)
    assert not ContentItem.objects.exists() and not FAQ.objects.exists()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("AI Engineer", "an"),
        ("ML Platform Lead", "an"),
        ("LLM Ops Engineer", "an"),
        ("Data Engineer", "a"),
        ("Evaluation Lead", "an"),
        ("Senior AI Engineer", "a"),
    ],
)
def test_generated_text_uses_the_spoken_article(title, expected):
    assert article(title) == expected


def test_long_questions_get_valid_slugs(monkeypatch):
    """A question whose slug is cut just after a hyphen still gets a valid slug (it was a
    validation error that stopped ``--faqs 2000``)."""
    words = iter(range(10_000))

    def long_question(self, role, profile):
        # 119 characters of slug, then a hyphen at the 120th: a cut there ends on "-".
        return f"{'x' * 115} {next(words):03d} customer-support agent?"

    monkeypatch.setattr(Writer, "faq_question", long_question)
    generate(faqs=5)
    slugs = list(FAQ.objects.filter(**MARK).values_list("slug", flat=True))
    assert len(slugs) == 5
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
        assert len(slug) <= 120
