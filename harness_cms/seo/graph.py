"""The cluster's link graph: which item links to which, as visitors see the pages.

Two sorts of links count (decision 0071). Editorial links are what editors control: cards
(related pages and next-step buttons), links in an item's rendered Markdown, and links in the
answers of the FAQs placed on it. Navigation is what the pages add by themselves: the home
page's lists (read by the same selector as the page), each role page's guides and comparisons,
a cluster page's links to its role and its siblings, a comparison's links to its two roles and
to more comparisons, the breadcrumb to the home page, and the roles index, which lists every
role (a page that is no item: :attr:`Graph.listed`).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from comparisons.models import OTHER_COMPARISONS, Comparison, other_comparisons
from faq.models import FAQ, FAQPlacement
from harness_cms.core import references
from harness_cms.core.generation import cached_for_now
from harness_cms.core.links import hrefs_in, is_item_address, is_known_address, local_path
from harness_cms.core.models import ContentItem, Redirect, RelatedLink
from pages.models import Page
from pages.selectors import hub_lists

# What the admin says counts as a link to a page ("What links here", Cluster health).
COUNTED_LINKS = (
    "Counted as links: cards and next-step buttons, links in the text and in the answers of "
    "the FAQs placed on a page, and the links the site adds by itself — the home page's lists "
    "of roles, guides and comparisons and its matrix of comparisons, each role page's guides "
    "and comparisons, a cluster "
    "page's links to its role and the other pages of its cluster, a comparison's links to its "
    "two roles and to more comparisons, the breadcrumb to the home page, and the roles index."
)
NAVIGATION = "navigation"


def _own_rendered_fields():
    """``{kind: [HTML fields of the kind's own table]}``, for the kinds that have some."""
    fields = {}
    for kind, model in ContentItem.kinds().items():
        names = model.rendered_fields(own=True)
        if names:
            fields[kind] = (model, names)
    return fields


@dataclass
class Link:
    """One editorial link from ``source`` to ``target`` (an item id, or None when broken)."""

    source: int
    target: int | None
    via: str  # "card", "next step", "text", "FAQ answer", "navigation"
    href: str = ""  # the written address, for links in text
    redirected: bool = False  # the address is an old one, answered by a 301
    detail: str = ""  # the card's or FAQ's own description


@dataclass
class Node:
    id: int
    kind: str
    title: str
    path: str
    public: bool
    status: str
    page_kind: str = ""
    role_id: int | None = None
    role_ids: tuple = ()
    is_home: bool = False
    seo_title: str = ""
    meta_title: str = ""
    meta_description: str = ""
    seo_description: str = ""
    target_keyword: str = ""
    has_definition: bool = True


@dataclass
class Graph:
    """Every item, every editorial link, the FAQs placed on items, and the redirects."""

    nodes: dict = field(default_factory=dict)  # id -> Node
    links: list = field(default_factory=list)  # Link
    broken: list = field(default_factory=list)  # (Link, reason)
    faqs: list = field(default_factory=list)  # dicts: id, question, public, item_ids
    redirects: list = field(default_factory=list)  # dicts: old_path, target_id
    listed: dict = field(default_factory=dict)  # id -> [pages that are no item listing it]

    def public_nodes(self):
        return [node for node in self.nodes.values() if node.public]

    def inbound(self, item_id, *, public_sources=True):
        return [
            link
            for link in self.links
            if link.target == item_id
            and link.source != item_id
            and (not public_sources or self.nodes[link.source].public)
        ]

    def outbound_targets(self, item_id):
        return {link.target for link in self.links if link.source == item_id and link.target}

    def editorial_links(self):
        return [link for link in self.links if link.via != NAVIGATION]

    def home(self):
        return next((node for node in self.nodes.values() if node.is_home), None)


class _Resolver:
    """Turns a written address into an item id, following redirects once."""

    def __init__(self, paths, redirects):
        self.paths = paths
        self.redirects = redirects

    def __call__(self, path):
        """(item id or None, redirected, reason when broken or not an item)."""
        if path in self.paths:
            return self.paths[path], False, ""
        if path in self.redirects:
            return self.redirects[path], True, ""
        if is_item_address(path):
            return None, False, "no page has this address"
        if is_known_address(path):
            return None, False, "not an item"  # the FAQ index, a tag page, a feed...
        return None, False, "no page has this address"


def build_graph():
    """Load the whole cluster from the database into a :class:`Graph` (a fixed number of
    queries, whatever the number of items)."""
    public = set(ContentItem.objects.published().values_list("pk", flat=True))
    graph = Graph()
    comparisons = {
        row["pk"]: row for row in Comparison.objects.values("pk", "role_a_id", "role_b_id")
    }
    pages = {row["pk"]: row for row in Page.objects.values("pk", "role_id", "page_kind", "is_home")}
    # The rendered Markdown of each item: the base table's fields, then its kind's own.
    own_html = {}
    for model, names in _own_rendered_fields().values():
        for row in model.objects.values_list("pk", *names):
            own_html[row[0]] = list(row[1:])
    base_fields = ContentItem.rendered_fields()
    html_of = {}
    for item in ContentItem.objects.only(
        "kind", "title", "path", "status", "seo_title", "seo_description", "target_keyword",
        *base_fields,
    ).order_by("pk"):  # fmt: skip
        page = pages.get(item.pk, {})
        comparison = comparisons.get(item.pk, {})
        graph.nodes[item.pk] = Node(
            id=item.pk,
            kind=item.kind,
            title=item.title,
            path=item.path,
            public=item.pk in public,
            status=item.status,
            page_kind=page.get("page_kind", ""),
            role_id=page.get("role_id"),
            role_ids=(comparison["role_a_id"], comparison["role_b_id"]) if comparison else (),
            is_home=bool(page.get("is_home")),
            seo_title=item.seo_title,
            meta_title=item.meta_title,
            meta_description=item.meta_description,
            seo_description=item.seo_description,
            target_keyword=item.target_keyword,
            has_definition=bool(item.body_html.strip()) if item.kind == "role" else True,
        )
        html_of[item.pk] = [getattr(item, name) for name in base_fields] + own_html.get(item.pk, [])

    graph.redirects = list(Redirect.objects.values("old_path", "target_id"))
    resolver = _Resolver(
        {node.path: node.id for node in graph.nodes.values()},
        {row["old_path"]: row["target_id"] for row in graph.redirects},
    )

    def add_text_links(source_id, html, via, detail=""):
        for href in hrefs_in(html):
            reference = references.href_target(href)
            if reference is not None:
                link = Link(source_id, reference[0], via, href, False, detail)
                if reference[0] in graph.nodes:
                    graph.links.append(link)
                else:
                    link.target = None
                    graph.broken.append((link, "the linked page was deleted"))
                continue
            path = local_path(href, graph.nodes[source_id].path)
            if path is None:
                continue
            target, redirected, reason = resolver(path)
            link = Link(source_id, target, via, href, redirected, detail)
            if target is not None:
                graph.links.append(link)
            elif reason != "not an item":
                graph.broken.append((link, reason))

    for item_id, fragments in html_of.items():
        for html in fragments:
            add_text_links(item_id, html, "text")

    for card in RelatedLink.objects.values("source_id", "target_id", "external_url", "section"):
        if card["external_url"]:
            continue
        via = "next step" if card["section"] == RelatedLink.Section.NEXT else "card"
        link = Link(card["source_id"], card["target_id"], via)
        if card["target_id"] is None:
            graph.broken.append((link, "the card's page was deleted"))
        else:
            graph.links.append(link)

    public_faqs = set(FAQ.objects.published().values_list("pk", flat=True))
    placed = {}
    for placement in FAQPlacement.objects.values("faq_id", "item_id"):
        placed.setdefault(placement["faq_id"], []).append(placement["item_id"])
    for faq in FAQ.objects.values("pk", "question", "answer_html"):
        item_ids = placed.get(faq["pk"], [])
        is_public = faq["pk"] in public_faqs
        graph.faqs.append(
            {
                "id": faq["pk"],
                "question": faq["question"],
                "public": is_public,
                "item_ids": item_ids,
            }
        )
        if is_public:
            for item_id in item_ids:
                add_text_links(item_id, faq["answer_html"], "FAQ answer", faq["question"])
    _add_navigation(graph)
    return graph


def _add_navigation(graph):
    """The links the public pages add by themselves, between public items (see the module)."""
    public = {node.id: node for node in graph.public_nodes()}
    home = graph.home()

    def link(source, target, detail):
        if source != target and source in public and target in public:
            graph.links.append(Link(source, target, NAVIGATION, detail=detail))

    def listed(target, where):
        if target in public:
            graph.listed.setdefault(target, []).append(where)

    def from_home(target, detail):
        if home is not None and home.public:
            link(home.id, target, f"home page: {detail}")
        else:
            listed(target, f"the home page ({detail})")

    hub = hub_lists()
    for role in hub["roles"]:
        from_home(role.pk, "roles")
        for page in role.cluster_pages:
            from_home(page.pk, f"{role.title} guides")
    for item in hub["comparisons"]:
        from_home(item.pk, "comparisons")
    for item in hub["guides"]:
        from_home(item.pk, "guides")
    for _role, cells in hub["matrix"]:
        for cell in cells:
            if cell.pk is not None:
                from_home(cell.pk, "matrix of comparisons")

    pages_of, comparisons_of = {}, {}
    for node in public.values():
        if node.kind == "page" and node.role_id in public:
            pages_of.setdefault(node.role_id, []).append(node)
        for role_id in node.role_ids:
            comparisons_of.setdefault(role_id, []).append(node)
    for role_id, pages in pages_of.items():
        for page in pages:
            link(role_id, page.id, "role page: guides")
            link(page.id, role_id, "breadcrumb and cluster navigation")
            for sibling in pages:
                link(page.id, sibling.id, "cluster navigation")
    for role_id, comparisons in comparisons_of.items():
        comparisons.sort(key=lambda node: (node.title, node.id))
        for comparison in comparisons:
            link(role_id, comparison.id, "role page: comparisons")
            link(comparison.id, role_id, "comparison: its roles")
    first = {
        role_id: [{"pk": node.id, "title": node.title} for node in items[: OTHER_COMPARISONS + 2]]
        for role_id, items in comparisons_of.items()
    }
    for node in public.values():
        if node.kind == "comparison":
            lists = [first.get(role_id, []) for role_id in node.role_ids]
            for card in other_comparisons(node.id, lists, OTHER_COMPARISONS)[0]:
                link(node.id, card["pk"], "more comparisons")
        if home is not None:
            link(node.id, home.id, "breadcrumb")
        if node.kind == "role":
            listed(node.id, "the roles index")


def _navigation_to(item):
    """The pages' own links to ``item`` (see the module): [(source item, "navigation",
    detail)], and the pages that are no item listing it ([str])."""
    results, listed = [], []
    hub = hub_lists()
    home = hub["home"]
    shown = [("roles", hub["roles"]), ("comparisons", hub["comparisons"])]
    shown += [("guides", hub["guides"])]
    shown += [(f"{role.title} guides", role.cluster_pages) for role in hub["roles"]]
    for detail, items in shown:
        if any(entry.pk == item.pk for entry in items):
            if home is not None:
                results.append((home, NAVIGATION, f"home page: {detail}"))
            else:
                listed.append(f"the home page ({detail})")
    kind = item.kind
    if kind == ContentItem.Kind.ROLE:
        listed.append("the roles index")
        for page in Page.objects.published().filter(role=item.pk):
            results.append((page, NAVIGATION, "breadcrumb and cluster navigation"))
        for comparison in Comparison.objects.published().involving(item.pk):
            results.append((comparison, NAVIGATION, "comparison: its roles"))
    elif kind == ContentItem.Kind.COMPARISON:
        comparison = item.specific() if type(item) is ContentItem else item
        for role in ContentItem.objects.filter(pk__in=[comparison.role_a_id, comparison.role_b_id]):
            results.append((role, NAVIGATION, "role page: comparisons"))
    elif kind == ContentItem.Kind.PAGE:
        page = item.specific() if type(item) is ContentItem else item
        if page.role_id:
            results.append(
                (ContentItem.objects.get(pk=page.role_id), NAVIGATION, "role page: guides")
            )
            for sibling in Page.objects.published().filter(role=page.role_id).exclude(pk=page.pk):
                results.append((sibling, NAVIGATION, "cluster navigation"))
    return results, listed


def listed_on(item):
    """The pages that are no item (the roles index, a home page with no hub item) that list
    ``item``."""
    return _navigation_to(item)[1]


def inbound_links(item):
    """Every link to ``item`` that counts (:data:`COUNTED_LINKS`): [(source item, via,
    detail)], for "what links here". Editorial links, and the pages' own navigation to it
    (the "more comparisons" boxes are left out here: Cluster health counts them).

    Reads only the rows that can contain a link to it (cards by reference, text by a
    ``contains`` filter on its current and earlier addresses), then checks each one.
    """
    results = list(_navigation_to(item)[0])
    for card in RelatedLink.objects.filter(target=item).select_related("source"):
        via = "next-step button" if card.section == RelatedLink.Section.NEXT else "card"
        results.append((card.source, via, card.blurb))

    addresses = {
        item.path,
        *Redirect.objects.filter(target=item).values_list("old_path", flat=True),
    }
    base_fields = ContentItem.rendered_fields()
    own_fields = _own_rendered_fields()
    needles = Q()
    faq_needles = Q()
    for address in addresses:
        for prefix in ("", settings.SITE_URL):
            needle = f'href="{prefix}{address}'
            for name in base_fields:
                needles |= Q(**{f"{name}__contains": needle})
            for kind, (_model, names) in own_fields.items():
                for name in names:
                    needles |= Q(**{f"as_{kind}__{name}__contains": needle})
            faq_needles |= Q(answer_html__contains=needle)
    # Links by reference: item:42 and item:42#part (not item:421).
    for needle in (f'href="item:{item.pk}"', f'href="item:{item.pk}#'):
        for name in base_fields:
            needles |= Q(**{f"{name}__contains": needle})
        for kind, (_model, names) in own_fields.items():
            for name in names:
                needles |= Q(**{f"as_{kind}__{name}__contains": needle})
        faq_needles |= Q(answer_html__contains=needle)

    def links_to_item(source, html):
        return any(
            (references.href_target(href) or (None,))[0] == item.pk
            or local_path(href, source.path) in addresses
            for href in hrefs_in(html)
        )

    candidates = ContentItem.objects.filter(needles).exclude(pk=item.pk).distinct()
    own_html = {}
    for kind, (model, names) in own_fields.items():
        ids = [candidate.pk for candidate in candidates if candidate.kind == kind]
        for row in model.objects.filter(pk__in=ids).values_list("pk", *names):
            own_html[row[0]] = list(row[1:])
    for source in candidates:
        fragments = [getattr(source, name) for name in base_fields] + own_html.get(source.pk, [])
        if any(links_to_item(source, html) for html in fragments):
            results.append((source, "link in the text", ""))

    for faq in FAQ.objects.published().filter(faq_needles):
        if not links_to_item(item, faq.answer_html):
            continue
        for placement in (
            FAQPlacement.objects.filter(faq=faq).exclude(item=item).select_related("item")
        ):
            results.append((placement.item, "link in an FAQ answer", faq.question))
    return results


def link_summary():
    """What the on-page analysis reads of the graph, for every item: how many public pages
    link to it, the items it links to from its text and from its cards, next-step buttons and
    placed FAQs, and the items of each target keyword. Kept for the content generation and
    until the next scheduled change (a list of items reads it once)."""
    return cached_for_now("seo-link-summary", _link_summary)


def _link_summary():
    graph = build_graph()
    inbound, text_out, other_out = {}, {}, {}
    for link in graph.links:
        if link.target is None or link.target == link.source:
            continue
        if graph.nodes[link.source].public:
            inbound.setdefault(link.target, set()).add(link.source)
        if link.via != NAVIGATION:
            bucket = text_out if link.via == "text" else other_out
            bucket.setdefault(link.source, set()).add(link.target)
    keywords = {}
    for node in graph.nodes.values():
        key = keyword_key(node.target_keyword)
        if key:
            keywords.setdefault(key, []).append((node.id, node.title))
    return {
        "inbound": {item_id: len(sources) for item_id, sources in inbound.items()},
        "text_out": {item_id: sorted(targets) for item_id, targets in text_out.items()},
        "other_out": {item_id: sorted(targets) for item_id, targets in other_out.items()},
        "keywords": keywords,
    }


def keyword_key(keyword):
    """A target keyword as two pages would share it: case and spacing aside."""
    return " ".join(keyword.casefold().split())
