"""Site search over roles, comparisons, cluster pages and FAQs (public ones only).

On PostgreSQL: full-text search (web-search syntax, English stemming), ranked with title matches
first, highlighted by ``ts_headline``. On any other database (SQLite): every word of the query
must appear in the title or the text, ranked by how many of them the title holds, highlighted in
Python. Either way a search costs the same few queries: the ranked page of hits, its count, then
the titles and excerpts of the hits on that page only.
"""

import html
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Least, Length, Lower, Replace, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from faq.views import index_urls
from harness_cms import markdown
from harness_cms.models import ContentItem
from harness_cms.selectors import public_faqs, public_items

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
PER_PAGE = 10
CONFIG = "english"
EXCERPT_LENGTH = 220
LABELS = {
    ContentItem.Kind.ROLE: "Role",
    ContentItem.Kind.COMPARISON: "Comparison",
    ContentItem.Kind.PAGE: "Guide",
    "faq": "FAQ",
}

# ts_headline marks matches with these private-use characters instead of tags: the headline is
# escaped first and only then are the markers turned into <mark>, so no text reaches the page
# unescaped. Control characters are dropped from queries (PostgreSQL refuses NUL).
START, STOP = "\ue000", "\ue001"
_UNWANTED = re.compile(r"[\x00-\x1f\x7f-\x9f\ue000\ue001]")
_WORD = re.compile(r"\w+")
_MARKED = re.compile(f"{START}(.*?){STOP}", re.DOTALL)


@dataclass(frozen=True)
class Query:
    """What the reader typed, cleaned: ``text`` for the database, ``terms`` for highlighting."""

    text: str = ""
    truncated: bool = False
    terms: tuple = field(default_factory=tuple)

    def __bool__(self):
        return bool(self.terms)


def parse_query(raw):
    """Clean a raw ``q`` parameter: no control characters, single spaces, at most 200 chars."""
    text = " ".join(_UNWANTED.sub(" ", raw or "").split())
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        text = text[:MAX_QUERY_LENGTH].rstrip()
    words = list(dict.fromkeys(word.lower() for word in _WORD.findall(text)))
    # One-letter words match nearly everything; they count only when nothing longer is given.
    terms = tuple([word for word in words if len(word) > 1] or words)[:MAX_TERMS]
    return Query(text=text, truncated=truncated, terms=terms)


@dataclass
class Hit:
    kind: str
    title: str  # safe HTML: escaped, matches in <mark>
    url: str
    excerpt: str  # safe HTML too

    @property
    def label(self):
        return LABELS.get(self.kind, "Page")


def supports_advanced_syntax():
    """Whether "quoted phrases" and -exclusions work (PostgreSQL's web-search syntax)."""
    return connection.vendor == "postgresql"


def clamp_page_number(value, last_page):
    """A page number from the query string, forced into 1..last_page (junk means 1)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), last_page)


def search(query, page_number=None):
    """The page of hits for ``query`` (a :class:`Query`): a Django ``Page`` of :class:`Hit`."""
    backend = _PostgresSearch(query) if supports_advanced_syntax() else _WordSearch(query)
    paginator = Paginator(backend.ranked(), PER_PAGE)
    page = paginator.page(clamp_page_number(page_number, paginator.num_pages))
    page.object_list = backend.hits(list(page.object_list))
    return page


class _Backend:
    def __init__(self, query):
        self.query = query

    def ranked(self):
        """Rows of (hit_kind, hit_id, hit_rank, hit_title), best first, items and FAQs alike."""
        columns = ("hit_kind", "hit_id", "hit_rank", "hit_title")
        # Each side loses its model's default ordering: a compound query is ordered as a whole.
        items = self.matching_items().order_by().values(*columns)
        faqs = self.matching_faqs().order_by().values(*columns)
        return items.union(faqs, all=True).order_by("-hit_rank", "hit_title", "hit_id")

    def hits(self, rows):
        """Titles, addresses and excerpts of the ranked ``rows`` (one page), in rank order."""

        def key(row):
            return ("faq" if row["hit_kind"] == "faq" else "item", row["hit_id"])

        item_ids = [row["hit_id"] for row in rows if key(row)[0] == "item"]
        faq_ids = [row["hit_id"] for row in rows if key(row)[0] == "faq"]
        found = {}
        if item_ids:
            found.update((("item", pk), hit) for pk, hit in self.item_hits(item_ids))
        if faq_ids:
            entries = {}
            for pk, hit, entry in self.faq_hits(faq_ids):
                found["faq", pk] = hit
                entries[pk] = entry
            # The FAQ index has pages: each answer links to the page that lists it.
            for pk, url in index_urls(entries).items():
                found["faq", pk].url = url
        # A hit unpublished between the two queries is simply left out.
        return [found[key(row)] for row in rows if key(row) in found]

    @staticmethod
    def _item_rows(queryset):
        return queryset.annotate(hit_kind=F("kind"), hit_id=F("pk"), hit_title=F("title"))

    @staticmethod
    def _faq_rows(queryset):
        return queryset.annotate(hit_kind=Value("faq"), hit_id=F("pk"), hit_title=F("question"))

    @staticmethod
    def _body_without_title():
        # search_text starts with the title; the excerpt should show what follows it.
        return Substr("search_text", Length("title") + 2)


class _WordSearch(_Backend):
    """Every word must match the title or the text; titles holding more words rank higher."""

    def matching_items(self):
        return self._matching(public_items(), "title", "search_text", self._item_rows)

    def matching_faqs(self):
        return self._matching(public_faqs(), "question", "answer", self._faq_rows)

    def _matching(self, queryset, title, text, rows):
        condition = Q()
        rank = Value(0, output_field=IntegerField())
        for term in self.query.terms:
            condition &= Q(**{f"{title}__icontains": term}) | Q(**{f"{text}__icontains": term})
            # A word in the title outweighs any number of mentions in the text.
            rank = rank + 1000 * _contains(title, term) + _occurrences(text, term, limit=999)
        return rows(queryset.filter(condition)).annotate(hit_rank=rank)

    def item_hits(self, ids):
        rows = (
            ContentItem.objects.filter(pk__in=ids)
            .annotate(text=self._body_without_title())
            .values_list("pk", "kind", "path", "title", "text")
        )
        for pk, kind, path, title, text in rows:
            yield pk, self._hit(kind, path, title, text)

    def faq_hits(self, ids):
        rows = _faq_rows_with_position(public_faqs().filter(pk__in=ids)).values(
            "answer_html", *POSITION_FIELDS
        )
        for row in rows:
            answer = markdown.to_plain_text(row.pop("answer_html"))
            pk = row.pop("pk")
            yield pk, self._hit("faq", _faq_url(row["slug"]), row["question"], answer), row

    def _hit(self, kind, url, title, text):
        terms = self.query.terms
        return Hit(
            kind=kind,
            url=url,
            title=highlight(title, terms),
            excerpt=highlight(excerpt(text, terms), terms),
        )


def _occurrences(column, term, *, limit):
    """How many times ``term`` occurs in ``column`` (ASCII case-insensitive), at most ``limit``."""
    removed = Length(column) - Length(Replace(Lower(column), Value(term), Value("")))
    return Least(removed / len(term), Value(limit))


def _contains(column, term):
    """1 when ``column`` contains ``term`` (case-insensitive), else 0, as an SQL expression."""
    return Case(
        When(**{f"{column}__icontains": term}, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


class _PostgresSearch(_Backend):
    """PostgreSQL full-text search: stemmed words, web-search syntax ("quotes", or, -not)."""

    def __init__(self, query):
        from django.contrib.postgres.search import SearchQuery

        super().__init__(query)
        self.search_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)

    def matching_items(self):
        return self._matching(public_items(), item_vector(), self._item_rows)

    def matching_faqs(self):
        return self._matching(public_faqs(), faq_vector(), self._faq_rows)

    def _matching(self, queryset, vector, rows):
        from django.contrib.postgres.search import SearchRank

        return rows(
            queryset.annotate(document=vector)
            .filter(document=self.search_query)
            .annotate(hit_rank=SearchRank(vector, self.search_query))
        )

    def item_hits(self, ids):
        rows = (
            ContentItem.objects.filter(pk__in=ids)
            .annotate(
                title_marked=self._headline("title", whole=True),
                excerpt_marked=self._headline(self._body_without_title()),
            )
            .values_list("pk", "kind", "path", "title_marked", "excerpt_marked")
        )
        for pk, kind, path, title, text in rows:
            yield pk, Hit(kind=kind, url=path, title=marked(title), excerpt=marked(text))

    def faq_hits(self, ids):
        answer_text = Func(
            F("answer_html"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace"
        )
        rows = (
            _faq_rows_with_position(public_faqs().filter(pk__in=ids))
            .annotate(
                title_marked=self._headline("question", whole=True),
                excerpt_marked=self._headline(answer_text),
            )
            .values("title_marked", "excerpt_marked", *POSITION_FIELDS)
        )
        for row in rows:
            title, text, pk = row.pop("title_marked"), row.pop("excerpt_marked"), row.pop("pk")
            # The answer's text comes from HTML: its entities are decoded before escaping.
            hit = Hit(
                kind="faq",
                url=_faq_url(row["slug"]),
                title=marked(title),
                excerpt=marked(html.unescape(text)),
            )
            yield pk, hit, row

    def _headline(self, expression, *, whole=False):
        from django.contrib.postgres.search import SearchHeadline

        options = {"highlight_all": True} if whole else {"max_words": 35, "min_words": 15}
        return SearchHeadline(
            expression,
            self.search_query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            **options,
        )


def item_vector():
    """The searchable document of an item: title (weight A) and its plain text (weight B).

    The GIN index of migration harness_cms 0003 is built on exactly this expression.
    """
    from django.contrib.postgres.search import SearchVector

    return SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "search_text", weight="B", config=CONFIG
    )


def faq_vector():
    from django.contrib.postgres.search import SearchVector

    # to_tsvector skips HTML tags and entities, so the rendered answer can be searched as it is.
    return SearchVector("question", weight="A", config=CONFIG) + SearchVector(
        "answer_html", weight="B", config=CONFIG
    )


# What finding an answer's page of the FAQ index needs (faq.views.index_urls).
POSITION_FIELDS = ("pk", "slug", "question", "topic_id", "topic_position", "topic_name")


def _faq_rows_with_position(queryset):
    return queryset.annotate(topic_position=F("topic__position"), topic_name=F("topic__name"))


def _faq_url(slug):
    from django.urls import reverse

    return f"{reverse('faq:index')}#{slug}"


def marked(headline):
    """A database headline with START/STOP markers as safe HTML: text escaped, matches in <mark>."""
    parts = _MARKED.split(headline or "")
    out = []
    for index, part in enumerate(parts):
        part = escape(part.replace(START, "").replace(STOP, ""))
        out.append(f"<mark>{part}</mark>" if index % 2 else part)
    return mark_safe("".join(out))  # noqa: S308 - every part was escaped just above


def highlight(text, terms):
    """``text`` escaped, with each word that starts with one of ``terms`` wrapped in <mark>."""
    if not terms:
        return escape(text)
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every part was escaped just above


def excerpt(text, terms, length=EXCERPT_LENGTH):
    """About ``length`` characters of ``text`` around the first of ``terms`` it contains."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    first = None
    if terms:
        pattern = "|".join(re.escape(term) for term in terms)
        found = re.search(pattern, text, re.IGNORECASE)
        first = found.start() if found else None
    start = 0 if first is None else max(0, first - length // 3)
    if start:
        # Begin at a word boundary rather than inside a word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
