"""Internal-link suggestions: the pages that mention an item without linking to it, and the
items it mentions without linking to them (decision 0137).

A mention is the item's title or target keyword as whole words, in any case, in the text a
visitor reads outside links. Each direction costs one bounded query: the pages whose Markdown
contains a phrase (at most :data:`SOURCE_CANDIDATES` rows), and the live items' titles and
keywords (at most :data:`TARGET_CANDIDATES` rows, the item's own cluster first).
"""

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from harness_cms.core import references
from harness_cms.core.links import hrefs_in, local_path
from harness_cms.core.markdown import to_plain_text
from harness_cms.core.models import ContentItem, Redirect, RelatedLink
from harness_cms.core.visibility import public_item_q

# Rows each direction reads at most, and suggestions it shows.
SOURCE_CANDIDATES = 200
TARGET_CANDIDATES = 2000
SHOWN = 10
# Shorter phrases ("AI") match too much to be worth a link.
MIN_PHRASE = 4
# The Markdown every kind has, where mentions are looked for (the form's insert finds them).
TEXT_FIELDS = ("lead", "body", "next_step")

_WORD = re.compile(r"\w+")
_ANCHOR = re.compile(r"<a\s[^>]*>.*?</a>", re.DOTALL)


@dataclass
class Suggestion:
    item: ContentItem  # the page to link from (inbound) or to (outbound)
    phrase: str  # the words as the item names itself (its title or keyword)
    same_cluster: bool


def words(text):
    return tuple(_WORD.findall(text.lower()))


def phrases_of(title, keyword):
    """The phrases that name an item: its title and its keyword, long enough to matter."""
    found = []
    for phrase in (title, keyword):
        phrase = " ".join(phrase.split())
        if len(phrase) >= MIN_PHRASE and words(phrase) and phrase.lower() not in found:
            found.append(phrase)
    return found


def mentioned(text_words, phrases):
    """The first of ``phrases`` that ``text_words`` holds as consecutive whole words."""
    grams = _Grams(text_words)
    return next((phrase for phrase in phrases if words(phrase) in grams), None)


def readable_words(*html):
    """The words of rendered HTML a reader sees outside links (a link's own words are taken)."""
    return words(" ".join(to_plain_text(_ANCHOR.sub(" ", fragment or "")) for fragment in html))


def cluster_roles(item):
    """The roles whose cluster ``item`` belongs to: a role its own, a cluster page its role,
    a comparison its two roles."""
    specific = item.specific() if type(item) is ContentItem else item
    if item.kind == ContentItem.Kind.ROLE:
        return {item.pk}
    return {
        getattr(specific, name)
        for name in ("role_id", "role_a_id", "role_b_id")
        if getattr(specific, name, None)
    }


def _in_cluster(roles):
    if not roles:
        return Value(1, output_field=IntegerField())
    return Case(
        When(
            Q(pk__in=roles)
            | Q(as_page__role_id__in=roles)
            | Q(as_comparison__role_a_id__in=roles)
            | Q(as_comparison__role_b_id__in=roles),
            then=Value(0),
        ),
        default=Value(1),
        output_field=IntegerField(),
    )


def pages_mentioning(item, *, linked_from=()):
    """Pages whose text mentions ``item`` and that do not link to it (``linked_from``: the ids
    that already do), same cluster and live ones first: [:class:`Suggestion`]."""
    phrases = phrases_of(item.title, item.target_keyword)
    if not phrases:
        return []
    contains = Q()
    for phrase in phrases:
        for name in TEXT_FIELDS:
            contains |= Q(**{f"{name}__icontains": phrase})
    roles = cluster_roles(item)
    candidates = (
        ContentItem.objects.filter(contains)
        .exclude(pk__in=[item.pk, *linked_from])
        .annotate(cluster_rank=_in_cluster(roles))
        .only(
            "kind", "title", "path", "status", "live_from", "live_until",
            *(f"{name}_html" for name in TEXT_FIELDS),
        )
        .order_by("cluster_rank", "-live_from", "title")[:SOURCE_CANDIDATES]
    )  # fmt: skip
    found = []
    for source in candidates:
        html = [getattr(source, f"{name}_html") for name in TEXT_FIELDS]
        phrase = mentioned(readable_words(*html), phrases)
        if phrase is not None and not _links_to(html, item, source.path):
            found.append(Suggestion(source, phrase, same_cluster=source.cluster_rank == 0))
    found.sort(key=lambda s: (not s.same_cluster, not s.item.is_public, s.item.title))
    return found[:SHOWN]


def items_mentioned(item):
    """Live items that ``item``'s text mentions and does not link to (by text or card), same
    cluster first: [:class:`Suggestion`]."""
    html = [getattr(item, name) for name in type(item).rendered_fields()]
    text_words = readable_words(*html)
    if not text_words:
        return []
    linked = _linked_ids(item, html)
    roles = cluster_roles(item)
    rows = (
        ContentItem.objects.filter(public_item_q())
        .exclude(pk__in=[item.pk, *linked])
        .annotate(cluster_rank=_in_cluster(roles))
        .order_by("cluster_rank", "title")
        .values_list("pk", "kind", "title", "path", "target_keyword", "cluster_rank")[
            :TARGET_CANDIDATES
        ]
    )
    grams = _Grams(text_words)
    found = []
    for pk, kind, title, path, keyword, rank in rows:
        phrase = next((p for p in phrases_of(title, keyword) if words(p) in grams), None)
        if phrase is not None:
            target = ContentItem(pk=pk, kind=kind, title=title, path=path)
            found.append(Suggestion(target, phrase, same_cluster=rank == 0))
            if len(found) == SHOWN:
                break
    return found


class _Grams:
    """The runs of consecutive words of a text, made for each length when first asked."""

    def __init__(self, text_words):
        self.text_words = text_words
        self.by_length = {}

    def __contains__(self, key):
        length = len(key)
        if length not in self.by_length:
            text = self.text_words
            self.by_length[length] = {text[i : i + length] for i in range(len(text) - length + 1)}
        return key in self.by_length[length]


def _links_to(html, item, base_path):
    for fragment in html:
        for href in hrefs_in(fragment):
            reference = references.href_target(href)
            if reference is not None and reference[0] == item.pk:
                return True
            if reference is None and local_path(href, base_path) == item.path:
                return True
    return False


def _linked_ids(item, html):
    """The items ``item`` links to already: by reference, by address (an earlier one too) or
    by a card."""
    ids, paths = set(), set()
    for fragment in html:
        for href in hrefs_in(fragment):
            reference = references.href_target(href)
            if reference is not None:
                ids.add(reference[0])
            elif (path := local_path(href, item.path)) is not None:
                paths.add(path)
    if paths:
        ids.update(ContentItem.objects.filter(path__in=paths).values_list("pk", flat=True))
        ids.update(Redirect.objects.filter(old_path__in=paths).values_list("target", flat=True))
    ids.update(
        RelatedLink.objects.filter(source=item, target__isnull=False).values_list(
            "target", flat=True
        )
    )
    return ids
