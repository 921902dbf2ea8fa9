"""Cluster health: rules over the link graph and the SEO fields, each a pure function.

Every rule takes a :class:`harness_cms.seo.graph.Graph` (loaded once by ``graph.build_graph()``)
and returns :class:`Finding` objects. Only published items are judged: drafts are work in
progress. Errors are what breaks the site for readers or crawlers (broken links, orphans,
duplicates); warnings are what weakens the cluster; notes are facts worth knowing.
"""

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from itertools import combinations

from rapidfuzz import fuzz, process

from harness_cms.core.models import SiteSettings
from harness_cms.seo import head
from harness_cms.seo.graph import build_graph

# Two phrases whose normalised words score this or more (rapidfuzz token_sort_ratio, 0 to 100)
# are "nearly the same": the default of the site setting editors may change
# (SiteSettings.similarity_threshold). 90 catches plurals, typos and reordering ("harness
# engineer" vs "harness engineers", "a vs b" vs "b vs a") but keeps apart siblings such as
# "harness engineer vs ai engineer" and "harness engineer vs prompt engineer" (85).
SIMILARITY_THRESHOLD = 90
# Two phrases that score above the threshold are near duplicates only when the words that tell
# them apart are themselves alike (a plural, a typo, "engineering" for "engineer"): "harness
# engineer vs ai engineer" and "harness engineer vs data engineer" share every word but the
# pair they compare, and "ai" / "data" score 33.
DISTINCT_WORDS_THRESHOLD = 80
CLUSTER_PAGE_KINDS = {
    "job_description": "job description",
    "architecture": "architecture",
    "workflow": "workflow",
}
# Words that carry no search intent of their own: "What is a harness engineer?" and
# "harness engineer" ask for the same page.
STOP_WORDS = frozenset({
    "a", "an", "the", "is", "are", "was", "be", "what", "whats", "s", "how", "do", "does", "did",
    "of", "to", "for", "in", "on", "and", "or", "with", "why", "when", "which", "who", "whom",
    "can", "could", "should", "would", "i", "you", "your", "we", "our", "it", "its", "this", "that",
})  # fmt: skip
# Words a title wraps around its topic without changing what it answers: "What is a Harness
# Engineer? A primer" asks for the same page as "Harness Engineer".
FILLER_WORDS = frozenset({
    "primer", "introduction", "intro", "overview", "explained", "explainer", "basics",
    "complete", "ultimate", "definitive", "definition", "meaning", "beginner", "beginners", "101",
})  # fmt: skip
_NON_WORD = re.compile(r"[^\w]+")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    item_id: int | None = None
    path: str = ""
    others: tuple = ()  # paths of the other items involved

    def as_dict(self):
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["others"] = list(self.others)
        return data


@dataclass
class Report:
    findings: list = field(default_factory=list)
    matrix: dict = field(default_factory=dict)
    item_count: int = 0

    def count(self, severity):
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def errors(self):
        return self.count(Severity.ERROR)

    @property
    def warnings(self):
        return self.count(Severity.WARNING)

    def by_rule(self):
        grouped = {}
        for finding in self.findings:
            grouped.setdefault(finding.rule, []).append(finding)
        return grouped

    def as_dict(self):
        return {
            "items": self.item_count,
            "errors": self.errors,
            "warnings": self.warnings,
            "notes": self.count(Severity.NOTE),
            "findings": [finding.as_dict() for finding in self.findings],
            "comparison_matrix": self.matrix,
        }


def normalise(phrase, *, drop_fillers=False):
    """Lower-case words without punctuation or stop words, for comparing search phrases;
    ``drop_fillers`` also drops the words titles add around a topic ("a primer", "guide")."""
    words = _NON_WORD.sub(" ", phrase.lower().replace("_", " ")).split()
    dropped = STOP_WORDS | FILLER_WORDS if drop_fillers else STOP_WORDS
    kept = [word for word in words if word not in dropped]
    return " ".join(kept or words)


# -- the rules ---------------------------------------------------------------------------------


def find_orphans(graph):
    """Published items (other than the home page) that no other published page links to."""
    findings = []
    for node in graph.public_nodes():
        if node.is_home or graph.inbound(node.id) or graph.listed.get(node.id):
            continue
        findings.append(
            Finding(
                "orphan",
                Severity.ERROR,
                f"No published page links to “{node.title}”: add a card or a link to it.",
                node.id,
                node.path,
            )
        )
    return findings


def find_broken_references(graph):
    """Cards and text links on published items that lead to missing or unpublished items."""
    findings = []
    for link, reason in graph.broken:
        source = graph.nodes[link.source]
        if not source.public:
            continue
        where = _where(link)
        findings.append(
            Finding(
                "broken-link",
                Severity.ERROR,
                f"“{source.title}”: {where} leads to {link.href or 'nothing'}: {reason}.",
                source.id,
                source.path,
            )
        )
    for link in graph.links:
        source, target = graph.nodes[link.source], graph.nodes[link.target]
        if not source.public:
            continue
        if not target.public:
            findings.append(
                Finding(
                    "broken-link",
                    Severity.ERROR,
                    f"“{source.title}”: {_where(link)} leads to “{target.title}”, which is not "
                    f"public ({target.status}).",
                    source.id,
                    source.path,
                    (target.path,),
                )
            )
        elif link.redirected:
            findings.append(
                Finding(
                    "redirected-link",
                    Severity.WARNING,
                    f"“{source.title}”: {_where(link)} uses the old address {link.href}; "
                    f"link to {target.path} instead.",
                    source.id,
                    source.path,
                    (target.path,),
                )
            )
    return findings


def find_missing_hub_links(graph):
    """A role page (the hub) and its spokes — its cluster pages and comparisons — must link
    to each other; the home page must link to every role."""
    findings = []
    public = {node.id: node for node in graph.public_nodes()}
    for hub in public.values():
        if hub.kind != "role":
            continue
        spokes = [
            node for node in public.values() if node.role_id == hub.id or hub.id in node.role_ids
        ]
        out_of_hub = graph.outbound_targets(hub.id)
        for spoke in spokes:
            if spoke.id not in out_of_hub:
                findings.append(
                    Finding(
                        "hub-link",
                        Severity.WARNING,
                        f"The role page “{hub.title}” does not link to “{spoke.title}”.",
                        hub.id,
                        hub.path,
                        (spoke.path,),
                    )
                )
            if hub.id not in graph.outbound_targets(spoke.id):
                findings.append(
                    Finding(
                        "hub-link",
                        Severity.WARNING,
                        f"“{spoke.title}” does not link back to its role page “{hub.title}”.",
                        spoke.id,
                        spoke.path,
                        (hub.path,),
                    )
                )
    home = graph.home()
    if home is not None and home.public:
        out_of_home = graph.outbound_targets(home.id)
        for role in public.values():
            if role.kind == "role" and role.id not in out_of_home:
                findings.append(
                    Finding(
                        "hub-link",
                        Severity.WARNING,
                        f"The home page does not link to the role page “{role.title}”.",
                        home.id,
                        home.path,
                        (role.path,),
                    )
                )
    return findings


def find_missing_page_kinds(graph):
    """Each published role's cluster: its definition (the role page's text) and a published
    job description, architecture and workflow page."""
    findings = []
    for role in graph.public_nodes():
        if role.kind != "role":
            continue
        if not role.has_definition:
            findings.append(
                Finding(
                    "cluster-kinds",
                    Severity.WARNING,
                    f"“{role.title}” has no definition: its page has no text.",
                    role.id,
                    role.path,
                )
            )
        pages = [node for node in graph.nodes.values() if node.role_id == role.id]
        published = {node.page_kind for node in pages if node.public}
        missing = [label for kind, label in CLUSTER_PAGE_KINDS.items() if kind not in published]
        if not missing:
            continue
        drafts = {node.page_kind for node in pages if not node.public}
        described = ", ".join(
            f"{label} (not published)" if kind in drafts else label
            for kind, label in CLUSTER_PAGE_KINDS.items()
            if label in missing
        )
        if published:
            severity, message = Severity.WARNING, f"The “{role.title}” cluster lacks: {described}."
        else:
            # A role that is only a comparison partner: worth knowing, not a defect.
            severity = Severity.NOTE
            message = f"“{role.title}” has its definition only; no cluster pages ({described})."
        findings.append(Finding("cluster-kinds", severity, message, role.id, role.path))
    return findings


def comparison_matrix(graph):
    """Roles × roles: for each pair of published roles, "published", "draft" or "missing"."""
    roles = sorted(
        (node for node in graph.public_nodes() if node.kind == "role"), key=lambda n: n.title
    )
    state = {}
    for node in graph.nodes.values():
        if node.kind == "comparison" and len(node.role_ids) == 2:
            pair = frozenset(node.role_ids)
            state[pair] = "published" if node.public else "draft"
    rows = []
    for role in roles:
        cells = []
        for other in roles:
            cells.append(
                "" if other.id == role.id else state.get(frozenset((role.id, other.id)), "missing")
            )
        rows.append({"role": role.title, "path": role.path, "cells": cells})
    return {"roles": [role.title for role in roles], "rows": rows}


def find_matrix_gaps(graph):
    findings = []
    roles = sorted(
        (node for node in graph.public_nodes() if node.kind == "role"), key=lambda n: n.title
    )
    existing = {}
    for node in graph.nodes.values():
        if node.kind == "comparison" and len(node.role_ids) == 2:
            existing[frozenset(node.role_ids)] = node
    for role, other in combinations(roles, 2):
        comparison = existing.get(frozenset((role.id, other.id)))
        if comparison is None:
            findings.append(
                Finding(
                    "comparison-matrix",
                    Severity.NOTE,
                    f"No comparison of {role.title} and {other.title} yet.",
                    None,
                    "",
                    (role.path, other.path),
                )
            )
        elif not comparison.public:
            findings.append(
                Finding(
                    "comparison-matrix",
                    Severity.NOTE,
                    f"“{comparison.title}” exists but is not public ({comparison.status}).",
                    comparison.id,
                    comparison.path,
                )
            )
    return findings


def site_threshold():
    """The similarity threshold editors set in the site settings (``SIMILARITY_THRESHOLD`` by
    default)."""
    return SiteSettings.load().similarity_threshold


def search_phrases(node):
    """What a page asks search engines to rank it for, as ``(label, text, normalised)``: its
    target keyword, its title — which is also its one H1, since Markdown headings render from
    h2 down — and its SEO title, each normalised once and without repeats."""
    phrases, seen = [], set()
    candidates = [
        ("target keyword", node.target_keyword),
        ("title (H1)", node.title),
        ("SEO title", node.seo_title),
    ]
    for label, text in candidates:
        if not _has_words(text):
            continue
        key = normalise(text, drop_fillers=True)
        if key and key not in seen:
            seen.add(key)
            phrases.append((label, text, key))
    return phrases


def find_cannibalization(graph, *, threshold=None):
    """Published items that compete for the same search: their target keywords, titles, SEO
    titles or H1s are the same or nearly the same, whatever their kinds. Two comparisons are
    told apart by their pair of roles (unique per site), so between comparisons only the very
    same keyword counts. Also FAQ questions that ask for another item's keyword without being
    placed on that item."""
    threshold = site_threshold() if threshold is None else threshold
    findings = []
    entries = [
        ((node, label, text), key)
        for node in graph.public_nodes()
        for label, text, key in search_phrases(node)
    ]
    best = {}
    for ((a, label_a, text_a), key_a), ((b, label_b, text_b), key_b), score in _similar_pairs(
        entries, threshold
    ):
        if a.id == b.id:
            continue
        both_keywords = label_a == label_b == "target keyword"
        exact = key_a == key_b
        if a.kind == b.kind == "comparison" and not (both_keywords and exact):
            continue
        pair = tuple(sorted((a.id, b.id)))
        rank = (both_keywords and exact, exact, score)
        if pair not in best or rank > best[pair][0]:
            best[pair] = (rank, a, label_a, text_a, b, label_b, text_b, score)
    for (keyword_clash, exact, _), a, label_a, text_a, b, label_b, text_b, score in best.values():
        if keyword_clash:
            what = f"target the same keyword: “{text_a}” / “{text_b}”."
        else:
            alike = "the same" if exact else f"nearly the same ({score:.0f}%)"
            what = (
                f"compete for {alike} search: the {label_a} “{text_a}” and the {label_b} "
                f"“{text_b}”. Give each page its own phrase, or merge them."
            )
        findings.append(
            Finding(
                "cannibalization",
                Severity.ERROR if keyword_clash else Severity.WARNING,
                f"“{a.title}” and “{b.title}” {what}",
                a.id,
                a.path,
                (b.path,),
            )
        )
    keywords = [
        (node, normalise(node.target_keyword))
        for node in graph.public_nodes()
        if _has_words(node.target_keyword)
    ]
    questions = [
        (faq, normalise(faq["question"])) for faq in graph.faqs if faq["public"] and faq["item_ids"]
    ]
    for faq, question in questions:
        for node, keyword in keywords:
            if node.id in faq["item_ids"] or not keyword:
                continue
            score = similarity(question, keyword)
            if score >= threshold:
                findings.append(
                    Finding(
                        "cannibalization",
                        Severity.WARNING,
                        f"The FAQ “{faq['question']}” asks for the keyword of “{node.title}” "
                        f"(“{node.target_keyword}”) but is not shown there: place it on that "
                        "page or rephrase it.",
                        node.id,
                        node.path,
                    )
                )
    return findings


def find_duplicate_faqs(graph, *, threshold=None):
    """Published FAQ questions that are the same or nearly the same."""
    threshold = site_threshold() if threshold is None else threshold
    faqs = [(faq, normalise(faq["question"])) for faq in graph.faqs if faq["public"]]
    findings = []
    for (a, key_a), (b, key_b), score in _similar_pairs(faqs, threshold):
        exact = key_a == key_b
        findings.append(
            Finding(
                "duplicate-faq",
                Severity.ERROR if exact else Severity.WARNING,
                f"The FAQs “{a['question']}” and “{b['question']}” ask "
                + ("the same question." if exact else f"nearly the same question ({score:.0f}%)."),
            )
        )
    return findings


def find_seo_field_problems(graph):
    """Titles past 60 characters, descriptions outside 50–160, missing or empty keywords, and
    titles or descriptions used by more than one published item."""
    findings = []
    public = graph.public_nodes()
    for node in public:
        for message in head.field_warnings(
            title=node.meta_title, description=node.meta_description, keyword=node.target_keyword
        ):
            findings.append(
                Finding(
                    "seo-fields", Severity.WARNING, f"“{node.title}”: {message}", node.id, node.path
                )
            )
        if not node.target_keyword.strip():
            findings.append(
                Finding(
                    "seo-fields",
                    Severity.WARNING,
                    f"“{node.title}” has no target keyword.",
                    node.id,
                    node.path,
                )
            )
    for label, key in (("SEO title", "meta_title"), ("meta description", "meta_description")):
        seen = {}
        for node in public:
            value = getattr(node, key).strip().lower()
            if value:
                seen.setdefault(value, []).append(node)
        for nodes in seen.values():
            if len(nodes) > 1:
                first, *rest = nodes
                findings.append(
                    Finding(
                        "seo-fields",
                        Severity.ERROR,
                        f"“{first.title}” and {len(rest)} other page(s) share the same {label}.",
                        first.id,
                        first.path,
                        tuple(node.path for node in rest),
                    )
                )
    return findings


def find_redirect_problems(graph):
    """Redirects that lead to pages the public cannot see."""
    findings = []
    for redirect in graph.redirects:
        target = graph.nodes.get(redirect["target_id"])
        if target is not None and not target.public:
            findings.append(
                Finding(
                    "redirect",
                    Severity.WARNING,
                    f"{redirect['old_path']} redirects to “{target.title}”, which is not public: "
                    "visitors get a 404.",
                    target.id,
                    target.path,
                )
            )
    return findings


RULES = [
    find_broken_references,
    find_orphans,
    find_missing_hub_links,
    find_missing_page_kinds,
    find_matrix_gaps,
    find_cannibalization,
    find_duplicate_faqs,
    find_seo_field_problems,
    find_redirect_problems,
]


def run(graph=None):
    """Every rule over the cluster; findings sorted errors first."""
    if graph is None:
        graph = build_graph()
    findings = [finding for rule in RULES for finding in rule(graph)]
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.path, f.message))
    return Report(
        findings=findings,
        matrix=comparison_matrix(graph),
        item_count=len(graph.nodes),
    )


# -- helpers -----------------------------------------------------------------------------------


def _has_words(phrase):
    return any(ch.isalnum() for ch in phrase or "")


def _where(link):
    if link.via == "FAQ answer":
        return f"the answer to “{link.detail}”"
    if link.via == "text":
        return "a link in the text"
    return "a next-step button" if link.via == "next step" else "a card"


def similarity(a, b):
    """How alike two normalised phrases are for search (0 to 100): the order-insensitive score
    of the whole phrases, but no more than the score of the words that tell them apart, when
    both have such words ("… vs ai engineer" / "… vs data engineer" compare "ai" with "data")."""
    score = fuzz.token_sort_ratio(a, b)
    words_a, words_b = a.split(), b.split()
    only_a = [word for word in words_a if word not in words_b]
    only_b = [word for word in words_b if word not in words_a]
    if only_a and only_b:
        distinct = fuzz.token_sort_ratio(" ".join(only_a), " ".join(only_b))
        if distinct < DISTINCT_WORDS_THRESHOLD:
            return min(score, distinct)
    return score


def _similar_pairs(entries, threshold):
    """Pairs of (object, normalised phrase) whose phrases are :func:`similarity` >=
    ``threshold`` alike, each once.

    rapidfuzz compares each phrase with the ones after it in compiled code (the cheap whole-
    phrase score first): a few thousand phrases take well under a second.
    """
    entries = [(obj, key) for obj, key in entries if key]
    keys = [key for _, key in entries]
    pairs = []
    for i, key in enumerate(keys):
        for match, _score, offset in process.extract(
            key, keys[i + 1 :], scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
        ):
            score = similarity(key, match)
            if score >= threshold:
                pairs.append((entries[i], entries[i + 1 + offset], score))
    return pairs
