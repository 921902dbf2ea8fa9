"""Load the demo cluster from ``harness_cms/demo_content`` (see FORMAT.md there).

Safe to run again: an item, FAQ or topic that already exists is left as editors made it; only
what is missing is created.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement, Topic
from harness_cms.models import ContentItem, SiteSettings
from harness_cms.publishing import Status
from pages.models import Page, RelatedLink

DEMO_DIR = Path(__file__).resolve().parent / "demo_content"
COMMON_FIELDS = [
    "title", "lead", "next_step", "faq_intro", "related_intro", "seo_title", "seo_description",
    "target_keyword",
]  # fmt: skip


class DemoContentError(Exception):
    """A demo file is malformed or refers to something that does not exist."""


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    kept: list = field(default_factory=list)


def read_markdown(path):
    """Split a Markdown file into its YAML front matter (a dict) and its body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise DemoContentError(f"{path.name}: no front matter (the file must start with ---)")
    try:
        header, body = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(header) or {}
    except (ValueError, yaml.YAMLError) as error:
        raise DemoContentError(f"{path.name}: front matter does not parse: {error}") from error
    if not isinstance(meta, dict):
        raise DemoContentError(f"{path.name}: front matter must be a mapping")
    return meta, body.strip() + "\n"


def read_yaml(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DemoContentError(f"{path.name}: does not parse: {error}") from error


def load_demo(directory=DEMO_DIR):
    """Create what is missing of the demo cluster; return what was created and kept."""
    report = LoadReport()
    with transaction.atomic():
        _load_site(directory / "site.yaml")
        topics = _load_topics(directory / "topics.yaml", report)
        faqs = _load_faqs(directory / "faqs.yaml", topics, report)
        created = []  # (item, meta) of the items made in this run
        for path in sorted((directory / "roles").glob("*.md")):
            created += _load_item(path, Role, report)
        for path in sorted((directory / "pages").glob("*.md")):
            created += _load_item(path, Page, report)
        for path in sorted((directory / "comparisons").glob("*.md")):
            created += _load_item(path, Comparison, report)
        for item, meta, name in created:
            _link(item, meta, name, faqs)
    return report


def _load_site(path):
    if SiteSettings.objects.exists() or not path.exists():
        return
    SiteSettings(**read_yaml(path)).save()


def _load_topics(path, report):
    topics = {}
    for entry in read_yaml(path):
        entry = dict(entry)
        entry["position"] = entry.pop("order", 0)
        topic, made = Topic.objects.get_or_create(slug=entry["slug"], defaults=entry)
        (report.created if made else report.kept).append(f"topic {topic.slug}")
        topics[topic.slug] = topic
    return topics


def _load_faqs(path, topics, report):
    faqs = {}
    for entry in read_yaml(path):
        entry = dict(entry)
        tags = entry.pop("tags", [])
        topic = entry.pop("topic", None)
        if topic and topic not in topics:
            raise DemoContentError(f"{path.name}: FAQ {entry['slug']} names unknown topic {topic}")
        faq = FAQ.objects.filter(slug=entry["slug"]).first()
        if faq:
            report.kept.append(f"faq {faq.slug}")
        else:
            faq = FAQ(**entry, topic=topics.get(topic), status=Status.PUBLISHED)
            faq.save()
            faq.tags.set(tags)
            report.created.append(f"faq {faq.slug}")
        faqs[faq.slug] = faq
    return faqs


def _load_item(path, model, report):
    meta, body = read_markdown(path)
    item = model(body=body, status=Status.PUBLISHED, publish_at=timezone.now())
    for name in COMMON_FIELDS:
        setattr(item, name, meta.get(name, getattr(item, name)))
    if model is Role:
        item.slug = meta["slug"]
        item.summary = meta.get("summary", "")
        item.position = meta.get("order", 0)
    elif model is Page:
        item.slug = meta["slug"]
        item.page_kind = meta.get("kind", Page.PageKind.GUIDE)
        item.position = meta.get("order", 0)
        item.is_home = bool(meta.get("is_home"))
        if meta.get("role"):
            item.role = _role(meta["role"], path)
    else:
        item.role_a = _role(meta["role_a"], path)
        item.role_b = _role(meta["role_b"], path)
        for name in ("shared_heading", "role_a_summary", "role_b_summary", "verdict"):
            setattr(item, name, meta.get(name, ""))
    item.kind = model.KIND
    if ContentItem.objects.filter(path=item.compute_path()).exists():
        report.kept.append(item.compute_path())
        return []
    item.save()
    item.tags.set(meta.get("tags", []))
    if model is Comparison:
        SharedPoint.objects.bulk_create(
            SharedPoint(comparison=item, text=text, position=i)
            for i, text in enumerate(meta.get("shared_points", []))
        )
        ComparisonRow.objects.bulk_create(
            ComparisonRow(
                comparison=item,
                dimension=row["dimension"],
                role_a_text=row["role_a"],
                role_b_text=row["role_b"],
                position=i,
            )
            for i, row in enumerate(meta.get("rows", []))
        )
    report.created.append(item.path)
    return [(item, meta, path.name)]


def _role(slug, path):
    role = Role.objects.filter(slug=slug).first()
    if role is None:
        raise DemoContentError(f"{path.name}: unknown role {slug}")
    return role


def _target(reference, name):
    item = ContentItem.objects.filter(path=reference).first()
    if item is None:
        raise DemoContentError(f"{name}: links to {reference}, which no demo item has")
    return item


def _link(item, meta, name, faqs):
    for position, slug in enumerate(meta.get("faqs", [])):
        if slug not in faqs:
            raise DemoContentError(f"{name}: unknown FAQ {slug}")
        FAQPlacement.objects.create(faq=faqs[slug], item=item, position=position)
    sections = [
        (RelatedLink.Section.RELATED, meta.get("related", [])),
        (RelatedLink.Section.NEXT, meta.get("next_step_links", [])),
    ]
    for section, cards in sections:
        for position, card in enumerate(cards):
            RelatedLink.objects.create(
                source=item,
                section=section,
                target=_target(card["target"], name) if card.get("target") else None,
                external_url=card.get("url", ""),
                title=card.get("title", ""),
                blurb=card.get("blurb", ""),
                position=position,
            )
