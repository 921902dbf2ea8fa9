"""Content as files: export every item to Markdown with front matter, import it back.

The format is the demo content's (``demo_content/FORMAT.md``) with the publishing keys added,
so the demo cluster imports as it is. An item is written as the same dictionary its file
holds; importing compares the two dictionaries, so a dry run knows every change without
writing, and an unchanged item is left alone (no new revision, no new version).
"""

import copy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import reversion
import yaml
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement, Topic
from harness_cms.core import references
from harness_cms.core.generation import content_changed
from harness_cms.core.models import Author, Byline, ContentItem, RelatedLink, SiteSettings
from harness_cms.core.versions import bump_version
from harness_cms.core.visibility import Status
from pages.models import Page

COMMON_TEXT = [
    "lead", "seo_title", "seo_description", "target_keyword", "faq_intro", "next_step",
    "related_intro", "canonical_url",
]  # fmt: skip
# True or false in the front matter; written only when true.
COMMON_FLAGS = ["noindex", "exclude_from_sitemap"]
COMPARISON_TEXT = ["shared_heading", "role_a_summary", "role_b_summary", "verdict"]
# The Markdown whose links by reference (item:42) files write by address (item:/roles/x/).
ITEM_MARKDOWN = ["body", "lead", "next_step", "role_a_summary", "role_b_summary", "verdict"]
SITE_FIELDS = [
    "site_name", "tagline", "organization_name", "default_seo_description", "faq_rich_results",
]  # fmt: skip
STATUSES = {choice.value for choice in Status}
ITEM_FOLDERS = ("roles", "pages", "comparisons")
AUTHORS_FILE = "authors.yaml"
# Written by every export: the folder holds the whole site, so an import deletes what it lacks.
COMPLETE_MARKER = "export.yaml"
COMPLETE_TEXT = (
    "# Written by export_content: this folder holds the whole site. Importing it creates and\n"
    "# updates what the files hold and deletes what they do not (decision 0072).\n"
    "complete: true\n"
)


class ContentFileError(Exception):
    """Files that cannot be imported; ``problems`` names each file and field."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- Writing ---------------------------------------------------------------------------------


class FrontMatterError(ValueError):
    """A Markdown file whose front matter is missing or does not parse."""


def read_markdown(path):
    """Split a Markdown file into its YAML front matter (a dict) and its body."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FrontMatterError(
            f"is not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    if not text.startswith("---\n"):
        raise FrontMatterError("no front matter (the file must start with ---)")
    try:
        header, body = text[4:].split("\n---\n", 1)
        # The separator takes the header's last line break, which a block value ("lead: |")
        # ending in one needs back.
        meta = yaml.safe_load(header + "\n") or {}
    except (ValueError, yaml.YAMLError) as error:
        raise FrontMatterError(f"front matter does not parse: {error}") from error
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping")
    return meta, body.strip() + "\n"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data):
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def _when(value):
    return value.astimezone(timezone.UTC).isoformat() if value else None


def _compact(data):
    """Leave out empty values: a missing key means empty, which keeps files short. A number
    is written even when it is 0 (an ``order`` of 0 is a place; a missing one means last)."""
    return {
        key: value
        for key, value in data.items()
        if value is not False and value not in ("", None, [])
    }


def item_data(item):
    """The file content of an item, as a dictionary (``body`` is the Markdown after the header)."""
    data = {"title": item.title}
    if isinstance(item, Role):
        data.update(slug=item.slug, summary=item.summary, order=item.position)
    elif isinstance(item, Page):
        data.update(
            slug=item.slug,
            kind=item.page_kind,
            role=item.role.slug if item.role_id else None,
            order=item.position,
            is_home=item.is_home,
        )
    else:
        data.update(role_a=item.role_a.slug, role_b=item.role_b.slug)
    data.update(
        status=item.status,
        publish_at=_when(item.publish_at),
        unpublish_at=_when(item.unpublish_at),
        tags=sorted(item.tags.names()),
        authors=[byline.author.slug for byline in item.bylines.select_related("author")],
    )
    for name in [*COMMON_TEXT, *COMMON_FLAGS]:
        data[name] = getattr(item, name)
    if isinstance(item, Comparison):
        for name in COMPARISON_TEXT:
            data[name] = getattr(item, name)
        data["shared_points"] = [point.text for point in item.shared_points.all()]
        data["rows"] = [
            {"dimension": row.dimension, "role_a": row.role_a_text, "role_b": row.role_b_text}
            for row in item.rows.all()
        ]
    placements = list(item.faq_placements.select_related("faq"))
    data["faqs"] = [placement.faq.slug for placement in placements]
    data["faq_homes"] = [placement.faq.slug for placement in placements if placement.is_home]
    # A card whose page was deleted has no destination: no file can say it (export warns).
    links = [link for link in item.links.select_related("target") if link.url]
    data["related"] = [_card(link) for link in links if link.section == "related"]
    data["next_step_links"] = [_card(link) for link in links if link.section == "next"]
    data["body"] = item.body.strip()
    return _compact(_by_address(data, ITEM_MARKDOWN))


def _by_address(data, keys, *, missing=None):
    """``data`` with the links by reference in its Markdown ``keys`` written by address, which
    names the same item in any database; a link to an item that no longer exists becomes its
    text (its id is added to ``missing``)."""
    ids = set().union(*(references.referenced_ids(data.get(key)) for key in keys))
    if not ids:
        return data
    paths = dict(ContentItem.objects.filter(pk__in=ids).values_list("pk", "path"))
    for key in keys:
        if data.get(key):
            data[key], gone = references.by_address(data[key], paths.get)
            if missing is not None:
                missing.extend(gone)
    return data


def _by_id(obj, names, ids):
    """Turn the links by address in ``obj``'s Markdown ``names`` into links by reference to the
    items of ``ids`` (``{path: id}``); return whether any changed."""
    changed = False
    for name in names:
        value = getattr(obj, name, "")
        if value and "item:/" in value:
            linked = references.by_id(value, ids.get)
            changed = changed or linked != value
            setattr(obj, name, linked)
    return changed


def _card(link):
    destination = {"target": link.target.path} if link.target_id else {"url": link.external_url}
    return _compact({**destination, "title": link.title, "blurb": link.blurb})


def item_file(item):
    """Where an item lives in the tree, relative to its root."""
    if isinstance(item, Role):
        return f"roles/{item.slug}.md"
    if isinstance(item, Page):
        return (
            f"pages/{item.role.slug}--{item.slug}.md" if item.role_id else f"pages/{item.slug}.md"
        )
    return f"comparisons/{item.role_a.slug}-vs-{item.role_b.slug}.md"


def render_item_file(data):
    header = {key: value for key, value in data.items() if key != "body"}
    return f"---\n{dump_yaml(header)}---\n\n{data.get('body', '').strip()}\n"


def faq_data(faq):
    return _by_address(_faq_data(faq), ["answer"])


def _faq_data(faq):
    return _compact(
        {
            "slug": faq.slug,
            "question": faq.question,
            "topic": faq.topic.slug if faq.topic_id else None,
            "tags": sorted(faq.tags.names()),
            "status": faq.status,
            "publish_at": _when(faq.publish_at),
            "unpublish_at": _when(faq.unpublish_at),
            "answer": faq.answer,
        }
    )


def author_data(author):
    return _compact(
        {"slug": author.slug, "name": author.name, "bio": author.bio, "links": author.link_list}
    )


def topic_data(topic):
    return {
        "slug": topic.slug,
        "name": topic.name,
        "description": topic.description,
        "order": topic.position,
    }


def export_content(directory, *, progress=None):
    """Write every item, FAQ entry, topic and the site settings under ``directory``.

    Returns the relative paths written, and cards left out because their page was deleted.
    Files of items that no longer exist (from an earlier export into the same folder) are
    removed, and ``export.yaml`` says the folder is the whole site: importing it deletes what
    it does not hold (decision 0072).
    """
    root = Path(directory)
    items = [
        *Role.objects.order_by("slug"),
        *Page.objects.select_related("role").order_by("role__slug", "slug"),
        *Comparison.objects.select_related("role_a", "role_b").order_by("slug"),
    ]
    files = {}
    skipped = []
    for item in items:
        for link in item.links.filter(target__isnull=True, external_url=""):
            skipped.append(f"{item_file(item)}: card “{link}” has no destination; left out")
        data = item_data(item)
        files[item_file(item)] = render_item_file(data)
        _report_gone(item, item_file(item), ITEM_MARKDOWN, skipped)
    faqs = FAQ.objects.select_related("topic").order_by("slug")
    files["faqs.yaml"] = dump_yaml([faq_data(faq) for faq in faqs])
    for faq in faqs:
        _report_gone(faq, f"faqs.yaml ({faq.slug})", ["answer"], skipped)
    files["topics.yaml"] = dump_yaml([topic_data(t) for t in Topic.objects.order_by("slug")])
    files[AUTHORS_FILE] = dump_yaml([author_data(a) for a in Author.objects.order_by("slug")])
    site = SiteSettings.load()
    files["site.yaml"] = dump_yaml({name: getattr(site, name) for name in SITE_FIELDS})
    files[COMPLETE_MARKER] = COMPLETE_TEXT
    for folder in ITEM_FOLDERS:
        for stale in sorted((root / folder).glob("*.md")):
            if f"{folder}/{stale.name}" not in files:
                stale.unlink()
    for number, (name, text) in enumerate(sorted(files.items()), start=1):
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if progress:
            progress(number, len(files), name, "written")
    return sorted(files), skipped


def _report_gone(obj, name, keys, skipped):
    missing = []
    _by_address({key: getattr(obj, key, "") for key in keys}, keys, missing=missing)
    for pk in missing:
        skipped.append(f"{name}: the link to item:{pk} leads to a deleted page; written as text")


# --- Reading ---------------------------------------------------------------------------------


@dataclass
class Entry:
    """One item of the tree: its file, kind and data normalised to the export's shape."""

    name: str
    model: type
    data: dict
    path: str = ""
    obj: object = None
    changes: list = field(default_factory=list)


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (name, [changed keys])
    unchanged: list = field(default_factory=list)
    deleted: list = field(default_factory=list)


class _Reader:
    def __init__(self, root):
        self.root = Path(root)
        self.problems = []

    def problem(self, name, key, message):
        where = f"{name}: {key}: " if key else f"{name}: "
        self.problems.append(where + message)

    def yaml_list(self, name):
        path = self.root / name
        if not path.exists():
            return []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            self.problem(name, None, f"does not parse as YAML: {error}")
            return []
        except UnicodeDecodeError as error:
            self.problem(name, None, f"is not UTF-8 text ({error.reason} at byte {error.start})")
            return []
        if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
            self.problem(name, None, "must be a list of mappings")
            return []
        return data

    def markdown(self, path):
        name = str(path.relative_to(self.root))
        try:
            meta, body = read_markdown(path)
        except FrontMatterError as error:
            self.problem(name, "front matter", str(error))
            return name, None
        meta["body"] = body.strip()
        return name, meta

    def schedule(self, name, data):
        """Parse publish times in place; check status and order. Missing means keep / now."""
        status = data.setdefault("status", Status.PUBLISHED.value)
        if status not in STATUSES:
            self.problem(name, "status", f"{status!r} is not one of {', '.join(sorted(STATUSES))}")
        for key in ("publish_at", "unpublish_at"):
            value = data.get(key)
            if value in (None, ""):
                data.pop(key, None)
                continue
            parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
            if parsed is None or parsed.tzinfo is None:
                self.problem(name, key, f"{value!r} is not an ISO 8601 time with a time zone")
                data.pop(key)
            else:
                data[key] = parsed
        if (
            "publish_at" in data
            and "unpublish_at" in data
            and data["unpublish_at"] <= data["publish_at"]
        ):
            self.problem(name, "unpublish_at", "comes before (or at) publish_at: never visible")


def _text(data, key):
    value = data.get(key)
    return "" if value is None else str(value)


def read_tree(directory):
    """Read and check every file; raise :class:`ContentFileError` listing all problems."""
    reader = _Reader(directory)
    root = reader.root
    if not root.is_dir():
        raise ContentFileError([f"{root}: not a directory"])
    topics = reader.yaml_list("topics.yaml")
    faqs = reader.yaml_list("faqs.yaml")
    authors = reader.yaml_list(AUTHORS_FILE)
    site = None
    if (root / "site.yaml").exists():
        try:
            site = yaml.safe_load((root / "site.yaml").read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            reader.problem("site.yaml", None, f"does not parse as YAML: {error}")
        except UnicodeDecodeError as error:
            reader.problem("site.yaml", None, f"is not UTF-8 text ({error.reason})")
        if site is not None and not isinstance(site, dict):
            reader.problem("site.yaml", None, "must be a mapping")
            site = None
        elif site and set(site) - set(SITE_FIELDS):
            unknown = ", ".join(sorted(set(site) - set(SITE_FIELDS)))
            reader.problem("site.yaml", None, f"unknown keys: {unknown}")
    entries = []
    for folder, model in zip(ITEM_FOLDERS, (Role, Page, Comparison), strict=True):
        for path in sorted((root / folder).glob("*.md")):
            name, meta = reader.markdown(path)
            if meta is not None:
                entries.append(Entry(name=name, model=model, data=meta))
    _check_shapes(reader, site, topics, faqs, entries)
    _check_authors(reader, authors, entries)
    if reader.problems:
        raise ContentFileError(reader.problems)
    _check_entries(reader, entries, topics, faqs)
    if not reader.problems:
        _validate_models(reader, site, topics, faqs, entries)
    if reader.problems:
        raise ContentFileError(reader.problems)
    return site, topics, faqs, entries, authors


# --- Checking the files' shapes and the models' rules ----------------------------------------

ITEM_TEXT = ["title", "slug", "summary", "kind", "role", "role_a", "role_b", "body"]
ITEM_TEXT += [*COMMON_TEXT, *COMPARISON_TEXT]
ITEM_LISTS = {"tags": str, "faqs": str, "faq_homes": str, "shared_points": str, "rows": dict}
ITEM_LISTS |= {"related": dict, "next_step_links": dict, "authors": str}
CARD_KEYS = {"target", "url", "title", "blurb"}
ROW_KEYS = {"dimension", "role_a", "role_b"}


def _check_shapes(reader, site, topics, faqs, entries):
    """Every key holds the kind of value it must (text, a whole number, a list of topics...),
    so that nothing further on meets a list where it expects text: the problems say which."""

    def text(name, data, keys):
        for key in keys:
            value = data.get(key)
            if isinstance(value, (bool, list, dict)):
                reader.problem(name, key, "must be text")
            elif isinstance(value, (int, float)):
                data[key] = str(value)

    def number(name, data, key):
        value = data.get(key)
        if value in (None, ""):
            return
        if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
            reader.problem(name, key, f"{value!r} is not a whole number")
        else:
            data[key] = int(value)

    def listing(name, data, key, kind):
        value = data.get(key)
        if value in (None, ""):
            return
        what = "texts" if kind is str else "mappings"
        if not isinstance(value, list) or not all(isinstance(entry, kind) for entry in value):
            example = " (e.g. [memory, agents])" if key == "tags" else ""
            reader.problem(name, key, f"must be a list of {what}{example}, not {value!r}"[:300])

    for entry in entries:
        text(entry.name, entry.data, ITEM_TEXT)
        number(entry.name, entry.data, "order")
        for key in ["is_home", *COMMON_FLAGS]:
            if not isinstance(entry.data.get(key, False), bool):
                reader.problem(entry.name, key, "must be true or false")
        for key, kind in ITEM_LISTS.items():
            listing(entry.name, entry.data, key, kind)
        for key in ("related", "next_step_links"):
            for card in entry.data.get(key) or []:
                if isinstance(card, dict):
                    unknown = set(card) - CARD_KEYS
                    if unknown:
                        reader.problem(entry.name, key, f"unknown card keys: {sorted(unknown)}")
                    text(entry.name, card, CARD_KEYS)
        for row in entry.data.get("rows") or []:
            if isinstance(row, dict):
                text(entry.name, row, ROW_KEYS)
    for position, faq in enumerate(faqs):
        name = f"faqs.yaml #{position + 1}"
        text(name, faq, ["slug", "question", "topic", "answer", "status"])
        listing(name, faq, "tags", str)
    for position, topic in enumerate(topics):
        name = f"topics.yaml #{position + 1}"
        text(name, topic, ["slug", "name", "description"])
        number(name, topic, "order")
    if site:
        text("site.yaml", site, [key for key in SITE_FIELDS if key != "faq_rich_results"])


def _check_authors(reader, authors, entries):
    """authors.yaml's entries (slug, name, bio, links) and the authors items name."""
    known = set(Author.objects.values_list("slug", flat=True))
    seen = set()
    for position, data in enumerate(authors):
        name = f"{AUTHORS_FILE} #{position + 1}"
        unknown = set(data) - {"slug", "name", "bio", "links"}
        if unknown:
            reader.problem(name, None, f"unknown keys: {', '.join(sorted(unknown))}")
        for key in ("slug", "name", "bio"):
            if isinstance(data.get(key), (bool, list, dict)):
                reader.problem(name, key, "must be text")
        links = data.get("links") or []
        if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
            reader.problem(name, "links", "must be a list of addresses")
            continue
        for key in ("slug", "name"):
            if not data.get(key):
                reader.problem(name, key, "is required")
        slug = str(data.get("slug", ""))
        if slug in seen:
            reader.problem(name, "slug", f"duplicate author {slug!r}")
        seen.add(slug)
        if reader.problems:
            continue
        author = Author.objects.filter(slug=slug).first() or Author()
        _fill(
            author,
            slug=slug,
            name=str(data["name"]),
            bio=_text(data, "bio"),
            links="\n".join(links),
        )
        _validate(reader, f"{name} ({slug})", author)
    known |= seen
    for entry in entries:
        named = [slug for slug in entry.data.get("authors") or [] if isinstance(slug, str)]
        for slug in named:
            if slug not in known:
                reader.problem(entry.name, "authors", f"no author {slug!r} in {AUTHORS_FILE}")
        if len(set(named)) != len(named):
            reader.problem(entry.name, "authors", "names an author twice")


# Model fields as the files name them, for the problems' wording.
FILE_KEYS = {
    "position": "order",
    "page_kind": "kind",
    "external_url": "url",
    "role_a_text": "role_a",
    "role_b_text": "role_b",
    "name": "name",
}
# What a save works out, and references checked by the files' own rules above.
NOT_VALIDATED = [
    "kind", "path", "toc", "search_text", "live_from", "live_until", "version", "updated_by",
    "role", "role_a", "role_b", "topic", "tags", "tagged_items",
]  # fmt: skip


def _validate(reader, name, obj, *, key=None, exclude=()):
    """The model's own validation (``full_clean``, as the admin runs it) of an unsaved object
    holding a file's values; each problem names the file, the key and the rule."""
    exclude = {
        *NOT_VALIDATED,
        *exclude,
        *(f.name for f in obj._meta.fields if f.name.endswith("_html")),
    }
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            where = key or (
                None if field_name == NON_FIELD_ERRORS else FILE_KEYS.get(field_name, field_name)
            )
            for message in messages:
                reader.problem(name, where, message)


def _validate_models(reader, site, topics, faqs, entries):
    for position, data in enumerate(topics):
        topic = Topic.objects.filter(slug=data["slug"]).first() or Topic()
        _fill(topic, slug=data["slug"], name=data["name"], description=_text(data, "description"))
        if data.get("order") not in (None, ""):
            topic.position = data["order"]
        _validate(reader, f"topics.yaml #{position + 1}", topic)
    for position, data in enumerate(faqs):
        faq = FAQ.objects.filter(slug=data["slug"]).first() or FAQ()
        _fill(faq, slug=data["slug"], question=data["question"], answer=_text(data, "answer"))
        _set_schedule(faq, data)
        name = f"faqs.yaml #{position + 1} ({data['slug']})"
        _validate(reader, name, faq)
        _check_tags(reader, name, data)
    if site:
        settings = SiteSettings.objects.filter(pk=1).first() or SiteSettings()
        _fill(settings, **{key: site[key] for key in SITE_FIELDS if key in site})
        _validate(reader, "site.yaml", settings)
    for entry in entries:
        _match(entry)
        item = copy.copy(entry.obj) if entry.obj is not None else entry.model()
        _fill_item(item, entry, existing_roles={r.slug: r.pk for r in Role.objects.all()})
        exclude = ["slug"] if entry.model is Comparison else []
        _validate(reader, entry.name, item, exclude=exclude)
        _check_tags(reader, entry.name, entry.data)
        for point in entry.data.get("shared_points") or []:
            _validate(
                reader,
                entry.name,
                SharedPoint(text=point),
                key="shared_points",
                exclude=["comparison"],
            )
        for row in entry.data.get("rows") or []:
            _validate(reader, entry.name, _row(row), key="rows", exclude=["comparison", "position"])
        for key in ("related", "next_step_links"):
            for card in entry.data.get(key) or []:
                link = _card_of(card, target_id=-1 if card.get("target") else None)
                link.source_id = -2
                _validate(
                    reader, entry.name, link, key=key, exclude=["source", "target", "position"]
                )


def _check_tags(reader, name, data):
    for tag in data.get("tags") or []:
        if not tag.strip() or len(tag) > 100:
            reader.problem(name, "tags", f"{tag[:120]!r}: a topic has 1 to 100 characters")


def _fill(obj, **values):
    for key, value in values.items():
        setattr(obj, key, value)
    return obj


def _check_entries(reader, entries, topics, faqs):
    seen = {}

    def unique(kind, key, name):
        if key in seen:
            reader.problem(name, "slug", f"duplicate {kind} {key[-1]!r} (also in {seen[key]})")
        seen[key] = name

    topic_slugs = set(Topic.objects.values_list("slug", flat=True))
    for position, topic in enumerate(topics):
        name = f"topics.yaml #{position + 1}"
        for key in ("slug", "name"):
            if not topic.get(key):
                reader.problem(name, key, "is required")
        unique("topic", ("topic", topic.get("slug")), name)
        topic_slugs.add(topic.get("slug"))
    faq_slugs = set(FAQ.objects.values_list("slug", flat=True))
    for position, faq in enumerate(faqs):
        name = f"faqs.yaml #{position + 1} ({faq.get('slug', 'no slug')})"
        for key in ("slug", "question"):
            if not faq.get(key):
                reader.problem(name, key, "is required")
        unique("FAQ", ("faq", faq.get("slug")), name)
        if faq.get("topic") and faq["topic"] not in topic_slugs:
            reader.problem(name, "topic", f"no topic {faq['topic']!r} in topics.yaml or the site")
        reader.schedule(name, faq)
        faq_slugs.add(faq.get("slug"))
    role_slugs = set(Role.objects.values_list("slug", flat=True))
    role_slugs |= {e.data.get("slug") for e in entries if e.model is Role}
    paths = set(ContentItem.objects.values_list("path", flat=True))
    for entry in entries:
        data, name = entry.data, entry.name
        if not data.get("title"):
            reader.problem(name, "title", "is required")
        reader.schedule(name, data)
        needed = {Role: ["slug"], Page: ["slug"], Comparison: ["role_a", "role_b"]}
        for key in needed[entry.model]:
            if not data.get(key):
                reader.problem(name, key, "is required")
        for key in ("role", "role_a", "role_b"):
            if data.get(key) and data[key] not in role_slugs:
                reader.problem(name, key, f"no role {data[key]!r} in roles/ or the site")
        if entry.model is Comparison and data.get("role_a") == data.get("role_b"):
            reader.problem(name, "role_b", "a role cannot be compared with itself")
        try:
            entry.path = _path_of(entry)
        except NoReverseMatch:
            reader.problem(name, "slug", "is not a valid slug")
            continue
        key = ("item", entry.path)
        if entry.model is Comparison:
            key = ("item", "pair", *sorted([data.get("role_a"), data.get("role_b")]))
        unique("item", key, name)
        paths.add(entry.path)
    for key in ITEM_MARKDOWN:
        for entry in entries:
            for address in sorted(references.referenced_addresses(entry.data.get(key))):
                if address not in paths:
                    reader.problem(entry.name, key, f"links to item:{address}: no item there")
    for position, faq in enumerate(faqs):
        for address in sorted(references.referenced_addresses(faq.get("answer"))):
            if address not in paths:
                name = f"faqs.yaml #{position + 1} ({faq.get('slug', 'no slug')})"
                reader.problem(name, "answer", f"links to item:{address}: no item there")
    homes = {}
    for entry in entries:
        for slug in entry.data.get("faqs", []) or []:
            if slug not in faq_slugs:
                reader.problem(entry.name, "faqs", f"no FAQ {slug!r} in faqs.yaml or the site")
        for slug in entry.data.get("faq_homes", []) or []:
            if slug not in (entry.data.get("faqs") or []):
                reader.problem(entry.name, "faq_homes", f"{slug!r} is not among this page's faqs")
            elif slug in homes:
                reader.problem(
                    entry.name, "faq_homes", f"{slug!r} is already marked up on {homes[slug]}"
                )
            else:
                homes[slug] = entry.name
        for key in ("related", "next_step_links"):
            for card in entry.data.get(key, []) or []:
                if not isinstance(card, dict):
                    reader.problem(entry.name, key, f"{card!r} is not a mapping")
                elif card.get("target") and card["target"] not in paths:
                    reader.problem(entry.name, key, f"no item at {card['target']!r}")
                elif not card.get("target") and not card.get("url"):
                    reader.problem(entry.name, key, "a card needs a target or a url")


def _path_of(entry):
    data = entry.data
    if entry.model is Role:
        return reverse("comparisons:role", kwargs={"slug": data.get("slug") or "-"})
    if entry.model is Comparison:
        slug = f"{data.get('role_a')}-vs-{data.get('role_b')}"
        return reverse("comparisons:comparison", kwargs={"slug": slug})
    if data.get("is_home"):
        return reverse("pages:home")
    if data.get("role"):
        return reverse("pages:page", kwargs={"role": data["role"], "slug": data.get("slug")})
    return reverse("pages:guide", kwargs={"slug": data.get("slug") or "-"})


# --- Importing -------------------------------------------------------------------------------


def import_content(directory, *, dry_run=False, create_only=False, progress=None):
    """Create or update everything the files describe, in one transaction.

    Items are matched by slug (roles), by role and slug (pages), by their pair of roles
    (comparisons); FAQ entries and topics by slug. A missing publish time keeps the current one
    (or now, when published). ``create_only`` leaves existing things untouched (the demo
    loader's mode). ``dry_run`` reports the changes and writes nothing.
    """
    site, topics, faqs, entries, authors = read_tree(directory)
    complete = (Path(directory) / COMPLETE_MARKER).exists() and not create_only
    gone = _missing_from(topics, faqs, entries) if complete else []
    # Authors are deleted only by a folder that lists them (an export made before there were
    # authors has no authors.yaml).
    if complete and (Path(directory) / AUTHORS_FILE).exists():
        slugs = {author["slug"] for author in authors}
        gone += [
            (f"{AUTHORS_FILE}: {author.slug}", author)
            for author in Author.objects.exclude(slug__in=slugs).order_by("slug")
        ]
    report = ImportReport()
    total = len(topics) + len(faqs) + len(entries) + len(authors) + (1 if site else 0)
    total += len(gone)
    counter = iter(range(1, total + 1))

    def tell(name, action, changes=()):
        if action == "created":
            report.created.append(name)
        elif action == "updated":
            report.updated.append((name, list(changes)))
        elif action == "deleted":
            report.deleted.append(name)
        else:
            report.unchanged.append(name)
        if progress:
            progress(next(counter), total, name, action, list(changes))

    try:
        _write(directory, site, topics, faqs, entries, gone, tell, create_only, dry_run, authors)
    except (IntegrityError, ValidationError, ProtectedError) as error:
        raise ContentFileError(
            [f"the database refused the import, so nothing was written: {error}"]
        ) from error
    return report


def _missing_from(topics, faqs, entries):
    """What the site holds and a complete folder does not: ``[(name, object)]``, in the order
    it can be deleted (comparisons and pages before the roles they point at, FAQ entries
    before their topics)."""
    for entry in entries:
        _match(entry)
    kept = {entry.obj.pk for entry in entries if entry.obj is not None}
    gone = []
    for model in (Comparison, Page, Role):
        for item in model.objects.exclude(pk__in=kept).order_by("path"):
            gone.append((item_file(item), item))
    faq_slugs = {faq["slug"] for faq in faqs}
    gone += [(f"faqs.yaml: {faq.slug}", faq) for faq in FAQ.objects.exclude(slug__in=faq_slugs)]
    topic_slugs = {topic["slug"] for topic in topics}
    for topic in Topic.objects.exclude(slug__in=topic_slugs):
        gone.append((f"topics.yaml: {topic.slug}", topic))
    return gone


def _write(directory, site, topics, faqs, entries, gone, tell, create_only, dry_run, authors):
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {Path(directory).name}/.")
        if site:
            _import_site(site, tell, create_only)
        for entry in authors:
            _import_author(entry, tell, create_only)
        topic_objs = {t.slug: t for t in Topic.objects.all()}
        for entry in topics:
            topic_objs[entry["slug"]] = _import_topic(entry, tell, create_only)
        for entry in faqs:
            _import_faq(entry, topic_objs, tell, create_only)
        for entry in entries:
            _match(entry)
        changed = [entry for entry in entries if _import_item(entry, tell, create_only)]
        # Rows, FAQs and cards once every item exists: cards may point at items made later.
        for entry in changed:
            _replace_rows(entry.obj, entry.data)
            reversion.add_to_revision(entry.obj)
        _link_by_reference([entry.obj for entry in changed], faqs)
        for name, obj in gone:
            obj.delete()
            tell(name, "deleted")
        if dry_run:
            transaction.set_rollback(True)
        else:
            # A bulk write: every stored page and list is made afresh (decision 0111).
            content_changed()


def _link_by_reference(items, faqs):
    """Links written by address in what this import saved, made links by reference now that
    every item exists (an item may link to one the import made after it)."""
    ids = {}
    if any(_has_addresses(item, ITEM_MARKDOWN) for item in items) or faqs:
        ids = dict(ContentItem.objects.values_list("path", "pk"))
    for item in items:
        if _by_id(item, ITEM_MARKDOWN, ids):
            item.save()
    slugs = [faq["slug"] for faq in faqs if "item:/" in (faq.get("answer") or "")]
    for faq in FAQ.objects.filter(slug__in=slugs):
        if _by_id(faq, ["answer"], ids):
            faq.save()


def _has_addresses(obj, names):
    return any(references.referenced_addresses(getattr(obj, name, "")) for name in names)


def _import_site(data, tell, create_only):
    current = SiteSettings.objects.filter(pk=1).first()
    if current and create_only:
        return tell("site.yaml", "unchanged")
    site = current or SiteSettings()
    before = {name: getattr(site, name) for name in SITE_FIELDS}
    for name in SITE_FIELDS:
        if name in data:
            setattr(site, name, data[name])
    changes = [n for n in SITE_FIELDS if getattr(site, n) != before[n]]
    if current is None or changes:
        site.save()
    tell(
        "site.yaml",
        "created" if current is None else "updated" if changes else "unchanged",
        changes,
    )


def _import_author(data, tell, create_only):
    name = f"{AUTHORS_FILE}: {data['slug']}"
    author = Author.objects.filter(slug=data["slug"]).first()
    wanted = author_data(Author(**_author_fields(data)))
    if author is not None and (create_only or author_data(author) == wanted):
        return tell(name, "unchanged")
    current = author_data(author) if author else {}
    author = author or Author(slug=data["slug"])
    _fill(author, **_author_fields(data))
    author.save()
    changes = _changed(current, wanted) if current else ()
    tell(name, "updated" if current else "created", changes)


def _author_fields(data):
    return {
        "slug": data["slug"],
        "name": str(data["name"]),
        "bio": _text(data, "bio"),
        "links": "\n".join(data.get("links") or []),
    }


def _import_topic(data, tell, create_only):
    name = f"topics.yaml: {data['slug']}"
    topic = Topic.objects.filter(slug=data["slug"]).first()
    wanted = {
        "name": data["name"],
        "description": _text(data, "description"),
        "position": data.get("order") or 0,
    }
    if topic is not None and create_only:
        tell(name, "unchanged")
        return topic
    if topic is None:
        topic = Topic.objects.create(slug=data["slug"], **wanted)
        tell(name, "created")
        return topic
    changes = [key for key, value in wanted.items() if getattr(topic, key) != value]
    if changes:
        for key, value in wanted.items():
            setattr(topic, key, value)
        topic.save()
    tell(name, "updated" if changes else "unchanged", changes)
    return topic


def _import_faq(data, topics, tell, create_only):
    name = f"faqs.yaml: {data['slug']}"
    faq = FAQ.objects.filter(slug=data["slug"]).first()
    if faq is not None and create_only:
        return tell(name, "unchanged")
    wanted = _compact(
        {
            "slug": data["slug"],
            "question": data["question"],
            "topic": data.get("topic"),
            "tags": sorted(data.get("tags") or []),
            "status": data["status"],
            "answer": _text(data, "answer"),
        }
    )
    for key in ("publish_at", "unpublish_at"):
        if key in data:
            wanted[key] = _when(data[key])
    current = faq_data(faq) if faq else {}
    changes = _changed(current, wanted, keep=("publish_at",))
    if faq is not None and not changes:
        return tell(name, "unchanged")
    faq = faq or FAQ(slug=data["slug"])
    if faq.pk:
        bump_version(faq)
    faq.question = data["question"]
    faq.answer = _text(data, "answer")
    faq.topic = topics.get(data.get("topic")) if data.get("topic") else None
    _set_schedule(faq, data)
    faq.save()
    faq.tags.set(wanted.get("tags", []))
    tell(name, "updated" if current else "created", changes if current else ())


def _set_schedule(obj, data):
    obj.status = data["status"]
    if "publish_at" in data:
        obj.publish_at = data["publish_at"]
    obj.unpublish_at = data.get("unpublish_at")


def _changed(current, wanted, *, keep=()):
    """Keys whose values differ; keys in ``keep`` count only when the file gives them."""
    keys = [*wanted, *(k for k in current if k not in wanted)]
    return [
        key
        for key in keys
        if not (key in keep and key not in wanted) and current.get(key) != wanted.get(key)
    ]


def _match(entry):
    data = entry.data
    if entry.model is Role:
        entry.obj = Role.objects.filter(slug=data["slug"]).first()
    elif entry.model is Page:
        entry.obj = Page.objects.filter(
            role__slug=data["role"] if data.get("role") else None, slug=data["slug"]
        ).first()
        if data.get("role") is None:
            entry.obj = Page.objects.filter(role__isnull=True, slug=data["slug"]).first()
    else:
        a, b = data["role_a"], data["role_b"]
        entry.obj = (
            Comparison.objects.filter(
                Q(role_a__slug=a, role_b__slug=b) | Q(role_a__slug=b, role_b__slug=a)
            )
            .select_related("role_a", "role_b")
            .first()
        )


def _wanted_item(entry):
    """The file's data in the shape :func:`item_data` gives, for comparison."""
    data = dict(entry.data)
    for key in ("publish_at", "unpublish_at"):
        if key in data:
            data[key] = _when(data[key])
    if "tags" in data:
        data["tags"] = sorted(data["tags"] or [])
    if "order" in data:
        data["order"] = int(data["order"] or 0)
    for key in ("related", "next_step_links"):
        if key in data:
            data[key] = [_compact(dict(card)) for card in data[key] or []]
    if "rows" in data:
        data["rows"] = [
            {
                "dimension": r.get("dimension", ""),
                "role_a": r.get("role_a", ""),
                "role_b": r.get("role_b", ""),
            }
            for r in data["rows"] or []
        ]
    return _compact(data)


def _import_item(entry, tell, create_only):
    """Save the item's own fields if the file changes them; return whether it did."""
    if entry.obj is not None and create_only:
        tell(entry.name, "unchanged")
        return False
    wanted = _wanted_item(entry)
    current = item_data(entry.obj) if entry.obj else {}
    changes = _changed(current, wanted, keep=("publish_at", "order"))
    if entry.obj is not None and not changes:
        tell(entry.name, "unchanged")
        return False
    item = entry.obj or entry.model()
    if item.pk:
        bump_version(item)
    _fill_item(item, entry)
    item.save()
    item.tags.set(wanted.get("tags", []))
    entry.obj = item
    tell(entry.name, "updated" if current else "created", changes if current else ())
    return True


def _set_position(item, data):
    """The file's ``order``; without one an existing item keeps its place and a new one goes
    last (the model's default)."""
    if data.get("order") not in (None, ""):
        item.position = int(data["order"])


def _fill_item(item, entry, *, existing_roles=None):
    """Set the item's fields from its file. ``existing_roles`` (``{slug: pk}``): only check,
    with the roles that exist (a role made by the same import has no id yet)."""
    data = entry.data
    item.title = data["title"]
    item.body = data.get("body", "")
    for name in COMMON_TEXT:
        setattr(item, name, _text(data, name))
    for name in COMMON_FLAGS:
        setattr(item, name, bool(data.get(name)))
    if entry.model is Role:
        item.slug = data["slug"]
        item.summary = _text(data, "summary")
    elif entry.model is Page:
        item.slug = data["slug"]
        item.page_kind = data.get("kind") or Page.PageKind.GUIDE
        item.is_home = bool(data.get("is_home"))
        if existing_roles is not None:
            # A role made by this import has no id yet: no sibling can clash with it.
            item.role_id = existing_roles.get(data.get("role"), -1) if data.get("role") else None
        else:
            item.role = Role.objects.get(slug=data["role"]) if data.get("role") else None
    elif existing_roles is None:
        item.role_a = Role.objects.get(slug=data["role_a"])
        item.role_b = Role.objects.get(slug=data["role_b"])
    if entry.model is Comparison:
        for name in COMPARISON_TEXT:
            setattr(item, name, _text(data, name))
    else:
        _set_position(item, data)
    _set_schedule(item, data)


def _row(row):
    return ComparisonRow(
        dimension=row.get("dimension", ""),
        role_a_text=row.get("role_a", ""),
        role_b_text=row.get("role_b", ""),
    )


def _card_of(card, *, target_id=None):
    return RelatedLink(
        target_id=target_id,
        external_url=card.get("url", ""),
        title=card.get("title", ""),
        blurb=card.get("blurb", ""),
    )


def _replace_rows(item, data):
    if isinstance(item, Comparison):
        item.shared_points.all().delete()
        SharedPoint.objects.bulk_create(
            SharedPoint(comparison=item, text=text, position=i)
            for i, text in enumerate(data.get("shared_points") or [])
        )
        item.rows.all().delete()
        rows = [_row(row) for row in data.get("rows") or []]
        for position, row in enumerate(rows):
            row.comparison, row.position = item, position
        ComparisonRow.objects.bulk_create(rows)
    item.faq_placements.all().delete()
    faqs = {faq.slug: faq for faq in FAQ.objects.filter(slug__in=data.get("faqs") or [])}
    homes = set(data.get("faq_homes") or [])
    # The file's choice of home wins over one made on a page this import does not touch.
    FAQPlacement.objects.filter(faq__slug__in=homes, is_home=True).update(is_home=False)
    for position, slug in enumerate(data.get("faqs") or []):
        FAQPlacement.objects.create(
            faq=faqs[slug], item=item, position=position, is_home=slug in homes
        )
    item.bylines.all().delete()
    authors = {a.slug: a for a in Author.objects.filter(slug__in=data.get("authors") or [])}
    for position, slug in enumerate(data.get("authors") or []):
        Byline.objects.create(item=item, author=authors[slug], position=position)
    item.links.all().delete()
    for section, key in (("related", "related"), ("next", "next_step_links")):
        for position, card in enumerate(data.get(key) or []):
            link = _card_of(card)
            if card.get("target"):
                link.target = ContentItem.objects.get(path=card["target"])
            link.source, link.section, link.position = item, section, position
            link.save()
