"""Site search over roles, comparisons, cluster pages and FAQs (public ones only).

On PostgreSQL: full-text search (web-search syntax, English stemming), ranked with title matches
first, highlighted by ``ts_headline``. On SQLite: every word of the query must appear in the
title or the text, ranked by how many of them the title holds, then by BM25 relevance, through
the trigram indexes of :mod:`harness_cms.search.fts` (a word of one or two letters, which a trigram
index cannot look up, is then looked for in the rows the longer words found); a query of short
words only, or a database without those indexes, is searched with ``LIKE`` instead, ranked by
counting. Highlighting is done in Python. Either way a search costs the same few
queries: the ranked page of hits, its count, then the titles and excerpts of the hits on that
page only.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import OperationalError, connection
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least, Length, Lower, Replace, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from faq.models import FAQ, index_page_url, index_urls_of
from harness_cms.core import markdown
from harness_cms.core.generation import cached_for_now
from harness_cms.core.models import ContentItem
from harness_cms.search import fts

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
PER_PAGE = 10
CONFIG = "english"
EXCERPT_LENGTH = 220
# Characters of a body ts_headline reads for a result's excerpt (PostgreSQL).
HEADLINE_WINDOW = 3000
FAQ_LABEL = "FAQ"

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
        if self.kind == "faq":
            return FAQ_LABEL
        return ContentItem.kinds()[self.kind].LABEL


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


def uses_trigram_index(query):
    """Whether ``query`` is searched through the SQLite trigram indexes (:mod:`.fts`): on
    SQLite, when one of its words is long enough to be looked up in them."""
    return connection.vendor == "sqlite" and any(
        len(term) >= fts.MIN_TERM_LENGTH for term in query.terms
    )


def search(query, page_number=None):
    """The page of hits for ``query`` (a :class:`Query`): a Django ``Page`` of :class:`Hit`,
    with ``capped`` set when more than ``COUNT_CAP`` hits were found (the count stops there).

    A query asked again is answered from the cache until the content changes (decision 0141):
    the first ask of each query is not kept, so a stream of odd queries cannot fill it.
    """
    if not _asked_before(query):
        return _search(query, page_number)
    key = hashlib.sha256(f"{connection.vendor}\n{page_number}\n{query.text}".encode()).hexdigest()
    found = cached_for_now(f"search:{key}", lambda: _stored(_search(query, page_number)))
    return _restored(found)


def _search(query, page_number):
    if supports_advanced_syntax():
        return _page(_PostgresSearch(query), page_number)
    if uses_trigram_index(query):
        try:
            return _page(_TrigramSearch(query), page_number)
        except OperationalError as error:
            # A database that has not been migrated since the indexes came: search without.
            if not fts.is_missing(error):
                raise
    return _page(_WordSearch(query), page_number)


# Hits counted at most: past this the page says "more than", and pages stop there. Counting
# every match of a common word reads every one of them (26,000 for "memory" at scale).
COUNT_CAP = 1000
# Matches of each table ranked at most on PostgreSQL, in each of its bounded sets (decision
# 0150): one more than the count shows, so that every page the count offers is full.
RANK_BOUND = COUNT_CAP + 1
# How long a query counts as asked (for keeping its results).
ASKED_SECONDS = 600


def _asked_before(query):
    key = "harness:search-asked:" + hashlib.sha256(query.text.lower().encode()).hexdigest()
    try:
        return not cache.add(key, 1, timeout=ASKED_SECONDS)
    except Exception:  # any cache backend's error: searched afresh, never failed
        return False


class _Capped:
    """Ranked rows as the paginator reads them, counted up to ``COUNT_CAP`` rows only."""

    def __init__(self, rows):
        self.rows = rows
        self.capped = False

    def count(self):
        if isinstance(self.rows, _RankedRows):
            found = self.rows.count_up_to(COUNT_CAP + 1)
        else:
            found = self.rows[: COUNT_CAP + 1].count()
        self.capped = found > COUNT_CAP
        return min(found, COUNT_CAP)

    def __getitem__(self, bounds):
        return self.rows[bounds]


def _page(backend, page_number):
    rows = _Capped(backend.ranked())
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.page(clamp_page_number(page_number, paginator.num_pages))
    page.object_list = backend.hits(list(page.object_list))
    page.capped = rows.capped
    return page


def _stored(page):
    return {
        "count": page.paginator.count,
        "number": page.number,
        "hits": list(page.object_list),
        "capped": page.capped,
    }


class _Known:
    """A page of hits found before, as the paginator reads it."""

    def __init__(self, found):
        self.found = found

    def count(self):
        return self.found["count"]

    def __getitem__(self, bounds):
        return self.found["hits"]


def _restored(found):
    page = Paginator(_Known(found), PER_PAGE).page(found["number"])
    page.capped = found["capped"]
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
            for pk, url in index_urls_of(entries).items():
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
        return self._matching(
            ContentItem.objects.published(), "title", "search_text", self._item_rows
        )

    def matching_faqs(self):
        return self._matching(FAQ.objects.published(), "question", "answer", self._faq_rows)

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
        rows = FAQ.objects.published().filter(pk__in=ids).values("answer_html", *POSITION_FIELDS)
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


class _TrigramSearch(_WordSearch):
    """The word search through the FTS5 trigram indexes: the same hits, found by the index and
    ranked in it (title words first, then BM25 with the title weighing ten times the text).

    Words of one or two letters cannot be looked up in a trigram index: the index finds the rows
    holding the longer words, and each short word is then looked for in those rows alone, as
    the LIKE search would (``instr`` on the lowercased title and text).
    """

    def ranked(self):
        long_terms, short_terms = self._split_terms()
        branches, params = [], []
        for index, kind, public in (
            (fts.ITEMS, "i.kind", ContentItem.objects.published()),
            (fts.FAQS, "'faq'", FAQ.objects.published()),
        ):
            title, text = (f"i.{column}" for column in index.columns)
            # The rule tested on each matched row (a primary-key lookup), not as a list of every
            # public id: at 100,000 FAQs that list alone took 250 ms to build.
            public_row = public.order_by().filter(pk=RawSQL("i.id", [])).values("pk")
            public_sql, public_params = public_row.query.sql_with_params()
            title_words = " + ".join(f"(instr(lower({title}), %s) > 0)" for _ in self.query.terms)
            short_words = "".join(
                f" AND (instr(lower({title}), %s) > 0 OR instr(lower({text}), %s) > 0)"
                for _ in short_terms
            )
            # Identifiers are this module's constants and the public rule is Django's compiled
            # SQL; every value (terms, the match expression, the rule's times) is a parameter.
            branches.append(
                f"SELECT {kind} AS hit_kind, i.id AS hit_id, "  # noqa: S608
                f"1000 * ({title_words}) - bm25({index.name}, 10.0, 1.0) AS hit_rank, "
                f"{title} AS hit_title "
                f"FROM {index.name} JOIN {index.content} i ON i.id = {index.name}.rowid "
                f"WHERE {index.name} MATCH %s{short_words} AND EXISTS ({public_sql})"
            )
            params += [
                *self.query.terms,
                # Every long word as a quoted string, all of them required. Words are runs of
                # word characters (parse_query), so they hold no quote to escape.
                " ".join(f'"{term}"' for term in long_terms),
                *(term for term in short_terms for _ in range(2)),
                *public_params,
            ]
        return _RankedRows(" UNION ALL ".join(branches), params)

    def _split_terms(self):
        long_terms = [term for term in self.query.terms if len(term) >= fts.MIN_TERM_LENGTH]
        short_terms = [term for term in self.query.terms if len(term) < fts.MIN_TERM_LENGTH]
        return long_terms, short_terms


class _RankedRows:
    """Ranked hit rows of a raw SQL query, as the paginator reads them: count() and slices."""

    def __init__(self, sql, params):
        self.sql, self.params = sql, params

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql})", self.params)  # noqa: S608
            return cursor.fetchone()[0]

    def count_up_to(self, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM ({self.sql} LIMIT %s)",  # noqa: S608
                [*self.params, limit],
            )
            return cursor.fetchone()[0]

    def __getitem__(self, bounds):
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("Ranked rows are read a page (a slice) at a time.")
        start, stop = bounds.start or 0, bounds.stop
        ordered = f"{self.sql} ORDER BY hit_rank DESC, hit_title, hit_id"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{ordered} LIMIT %s OFFSET %s",
                [*self.params, -1 if stop is None else stop - start, start],
            )
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


class _BoundedRows(_RankedRows):
    """Ranked rows over bounded sets of matches (PostgreSQL), counted by their own query: the
    number of matches those sets hold, which passes ``COUNT_CAP`` whenever the matches do."""

    def __init__(self, sql, params, *, count_sql, count_params):
        super().__init__(sql, params)
        self.count_sql, self.count_params = count_sql, count_params

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(self.count_sql, self.count_params)
            return cursor.fetchone()[0]

    def count_up_to(self, limit):
        return min(self.count(), limit)


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
    """PostgreSQL full-text search: stemmed words, web-search syntax ("quotes", or, -not).

    Only a bounded set of each table's matches is ranked (decision 0150): the first
    ``RANK_BOUND`` rows whose title matches the whole query, then (for several words) those
    whose title holds any of its words, then any match at all, each found through a GIN index
    and cut short by its LIMIT. Below the bound every match is ranked, as before; above it, the
    title matches found first are ranked with the rest of the bound, so the best kind of hit is
    always on the first pages, and the count stops at ``COUNT_CAP`` anyway.
    """

    def __init__(self, query):
        from django.contrib.postgres.search import SearchQuery

        super().__init__(query)
        self.search_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)

    def ranked(self):
        from django.contrib.postgres.search import SearchQuery, SearchRank

        any_word = None
        if len(self.query.terms) > 1:
            for term in self.query.terms:
                word = SearchQuery(term, search_type="plain", config=CONFIG)
                any_word = word if any_word is None else any_word | word
        bounded, branches, found = [], [], []
        for name, model, rows in (
            ("items", ContentItem, self._item_rows),
            ("faqs", FAQ, self._faq_rows),
        ):
            matching = (
                model.objects.published()
                .order_by()
                .annotate(document=stored_document(model), title_document=stored_title(model))
            )
            matching = matching.filter(document=self.search_query)
            sets = [(f"{name}_title", matching.filter(title_document=self.search_query))]
            if any_word is not None:
                sets.append((f"{name}_title_word", matching.filter(title_document=any_word)))
            sets.append((f"{name}_any", matching))
            union = []
            for cte, queryset in sets:
                # The first rows by key: the same set for the count and for every page.
                bounded_set = queryset.order_by("pk").values("pk")[:RANK_BOUND]
                sql, params = bounded_set.query.sql_with_params()
                # Each set is made once and read as it is: the planner neither inlines it nor
                # turns the LIMIT into a nested loop over the whole match (decision 0150).
                bounded.append((f"{cte} AS MATERIALIZED ({sql})", params))
                union.append(f"SELECT pk FROM {cte}")  # noqa: S608 - this method's own names
            ranked = rows(
                model.objects.order_by()
                .filter(pk__in=RawSQL(" UNION ".join(union), []))  # noqa: S611 - names above
                .annotate(hit_rank=SearchRank(stored_document(model), self.search_query))
            ).values("hit_kind", "hit_id", "hit_rank", "hit_title")
            branches.append(ranked.query.sql_with_params())
            found.append(f"(SELECT COUNT(*) FROM {name}_any)")  # noqa: S608 - names above
        with_sql = "WITH " + ", ".join(sql for sql, _ in bounded)
        with_params = [param for _, params in bounded for param in params]
        union_sql = " UNION ALL ".join(f"({sql})" for sql, _ in branches)
        return _BoundedRows(
            f"{with_sql} SELECT * FROM ({union_sql}) hits",  # noqa: S608 - compiled by Django
            [*with_params, *(param for _, params in branches for param in params)],
            count_sql=f"{with_sql} SELECT {' + '.join(found)}",
            count_params=with_params,
        )

    def item_hits(self, ids):
        rows = (
            ContentItem.objects.filter(pk__in=ids)
            .annotate(
                title_marked=self._headline("title", whole=True),
                excerpt_marked=self._headline(self._window(self._body_without_title())),
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
            FAQ.objects.published()
            .filter(pk__in=ids)
            .annotate(
                title_marked=self._headline("question", whole=True),
                excerpt_marked=self._headline(self._window(answer_text)),
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

    def _window(self, text):
        """HEADLINE_WINDOW characters of ``text`` around the first place the first search word
        appears as it was typed (or its start): ts_headline parses all it is given, and a
        200 KB body cost a tenth of a second per hit."""
        first = StrIndex(Lower(text), Value(self.query.terms[0]))
        start = Greatest(Value(1), first - Value(HEADLINE_WINDOW // 10))
        return Substr(text, start, HEADLINE_WINDOW)

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


def stored_document(model):
    """The stored search document of ``model``'s rows on PostgreSQL: the generated column of
    migrations harness_cms 0010 and faq 0005 (``item_vector()`` / ``faq_vector()``, computed
    once on save), with its GIN index."""
    from django.contrib.postgres.search import SearchVectorField

    table = model._meta.db_table
    return RawSQL(f'"{table}"."search_document"', [], output_field=SearchVectorField())  # noqa: S611 - constants


def stored_title(model):
    """The stored search document of the title alone of ``model``'s rows on PostgreSQL
    (``search_title``: migrations harness_cms 0016 and faq 0009), with its GIN index."""
    from django.contrib.postgres.search import SearchVectorField

    table = model._meta.db_table
    return RawSQL(f'"{table}"."search_title"', [], output_field=SearchVectorField())  # noqa: S611 - constants


def item_vector():
    """The searchable document of an item: title (weight A) and its plain text (weight B), as
    the stored column of migration harness_cms 0010 computes it.
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


# What finding an answer's page of the FAQ index needs (faq.models.index_urls_of).
POSITION_FIELDS = ("pk", "slug", "topic_id", "question")


def _faq_url(slug):
    return index_page_url(1, slug)


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
