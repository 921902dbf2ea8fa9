"""On-page analysis: how well one page is written for its target keyword and for readers.

:func:`analyse` is pure: it reads the text an editor wrote (rendered to HTML) and the counts of
links the cluster gives it, and returns checks that pass or warn with a hint. The admin's list
column and the JSON endpoint the change form calls as the editor types both use it (decision
0130); :func:`item_input` and :func:`faq_input` gather what it reads from the database.
"""

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import pyphen
from django.utils.text import slugify

from harness_cms.core import markdown
from harness_cms.core.links import hrefs_in, local_path
from harness_cms.core.models import ContentItem, Redirect
from harness_cms.core.text import META_DESCRIPTION_MAX, shorten
from harness_cms.seo.graph import keyword_key, link_summary

# The keyphrase's share of the words, in per cent: below, the page hardly says what it is
# about; above, it reads as stuffed.
DENSITY_MIN = 0.5
DENSITY_MAX = 3.0
# Flesch reading ease: 60 is plain English; technical pages read well down to about 40.
READING_EASE_MIN = 40
LONG_SENTENCE_WORDS = 20
LONG_SENTENCES_MAX_SHARE = 25  # per cent of the sentences
LONG_PARAGRAPH_WORDS = 150
FAQ_ANSWER_WORDS = (25, 300)

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[.!?]+$")
_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "h2", "h3", "h4", "h5"}
_BLOCKS |= {"h6", "pre"}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Check:
    """One finding: ``ok`` passes; otherwise ``hint`` says what to do."""

    key: str
    label: str
    ok: bool
    detail: str
    hint: str = ""


@dataclass
class Analysis:
    checks: list = field(default_factory=list)

    @property
    def score(self):
        """Per cent of the checks that pass (100 with nothing to check)."""
        if not self.checks:
            return 100
        return round(100 * sum(check.ok for check in self.checks) / len(self.checks))

    @property
    def warnings(self):
        return [check for check in self.checks if not check.ok]

    def as_json(self):
        return {"score": self.score, "checks": [asdict(check) for check in self.checks]}


@dataclass
class PageInput:
    """What the analysis of a page reads. HTML fields are sanitised, rendered Markdown."""

    title: str = ""
    seo_title: str = ""
    slug: str = ""
    meta_description: str = ""
    keyword: str = ""
    lead_html: str = ""
    body_html: str = ""  # every other rendered text of the page, in reading order
    links_in: int = 0  # public pages that link here (the link graph's counted links)
    links_out: int = 0  # other pages this one links to from its text, cards and FAQs
    same_keyword: list = field(default_factory=list)  # titles of pages with the same keyword
    slug_from: str = ""  # what the slug is made of, when editors do not write it


@dataclass
class FAQInput:
    question: str = ""
    answer_html: str = ""
    links_out: int = 0
    public_places: int = 0  # public pages it is shown on


class _Blocks(HTMLParser):
    """The text of each block of a fragment: [(tag, text)], headings and paragraphs apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._open.append([tag, []])

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if text:
                self.blocks.append((name, text))

    def handle_data(self, data):
        if self._open:
            self._open[-1][1].append(data)


def blocks_of(html):
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def words_of(text):
    return _WORD.findall(text)


def sentences_of(text):
    return [part for part in _SENTENCE_END.split(text) if part and words_of(part)]


@lru_cache(maxsize=1)
def _hyphenator():
    return pyphen.Pyphen(lang="en_US")


def syllables(word):
    """Syllables of an English word, from its hyphenation points (at least one)."""
    return len(_hyphenator().positions(word.lower())) + 1


def reading_ease(text):
    """Flesch reading ease of ``text`` (higher reads more easily; None without words)."""
    words = words_of(text)
    if not words:
        return None
    sentence_count = max(len(sentences_of(text)), 1)
    syllable_count = sum(syllables(word) for word in words)
    return 206.835 - 1.015 * len(words) / sentence_count - 84.6 * syllable_count / len(words)


def _normal(text):
    return " ".join(word.casefold() for word in words_of(text))


def contains_phrase(text, phrase):
    """Whether ``text`` holds every word of ``phrase`` in order (case and punctuation aside)."""
    wanted = _normal(phrase)
    return bool(wanted) and f" {wanted} " in f" {_normal(text)} "


def phrase_count(text, phrase):
    wanted = _normal(phrase).split()
    words = _normal(text).split()
    if not wanted:
        return 0
    size = len(wanted)
    return sum(words[i : i + size] == wanted for i in range(len(words) - size + 1))


def _prose_checks(blocks):
    """Readability, sentence and paragraph length of a text's blocks."""
    text = " ".join(text for tag, text in blocks if tag not in _HEADINGS)
    checks = []
    ease = reading_ease(text)
    if ease is None:
        checks.append(
            Check("readability", "Readability", False, "No text to read yet.", "Write the text.")
        )
        return checks
    checks.append(
        Check(
            "readability",
            "Readability",
            ease >= READING_EASE_MIN,
            f"Flesch reading ease {ease:.0f} (aim for {READING_EASE_MIN} or more).",
            ""
            if ease >= READING_EASE_MIN
            else "Use shorter sentences and plainer words: split "
            "long sentences, and prefer a short word where it says the same.",
        )
    )
    sentences = [s for tag, block in blocks if tag not in _HEADINGS for s in sentences_of(block)]
    long = [s for s in sentences if len(words_of(s)) > LONG_SENTENCE_WORDS]
    share = round(100 * len(long) / len(sentences)) if sentences else 0
    checks.append(
        Check(
            "sentence_length",
            "Sentence length",
            share <= LONG_SENTENCES_MAX_SHARE,
            f"{share} % of {len(sentences)} sentences have more than {LONG_SENTENCE_WORDS} words "
            f"(aim for {LONG_SENTENCES_MAX_SHARE} % at most).",
            ""
            if share <= LONG_SENTENCES_MAX_SHARE
            else f"Split the longest sentences in two; the first is: “{long[0][:80]}…”",
        )
    )
    paragraphs = [words_of(text) for tag, text in blocks if tag == "p"]
    longest = max((len(words) for words in paragraphs), default=0)
    checks.append(
        Check(
            "paragraph_length",
            "Paragraph length",
            longest <= LONG_PARAGRAPH_WORDS,
            f"The longest paragraph has {longest} words (aim for {LONG_PARAGRAPH_WORDS} at most).",
            ""
            if longest <= LONG_PARAGRAPH_WORDS
            else "Break the longest paragraph up with a blank line where its subject turns, or "
            "make a list of it.",
        )
    )
    return checks


def _keyword_check(key, label, keyword, found, where, hint):
    if not keyword:
        return Check(key, label, False, "No target keyword.", "Set the target keyword (under "
                     "Search engines): the one phrase this page should be found by.")  # fmt: skip
    return Check(
        key,
        label,
        found,
        f"“{keyword}” is {'' if found else 'not '}in {where}.",
        "" if found else hint,
    )


def analyse(page):
    """The on-page checks of a :class:`PageInput`, as an :class:`Analysis`."""
    keyword = " ".join(page.keyword.split())
    lead = blocks_of(page.lead_html)
    body = blocks_of(page.body_html)
    paragraphs = [text for tag, text in lead + body if tag == "p"]
    first = paragraphs[0] if paragraphs else ""
    headings = [text for tag, text in body if tag in _HEADINGS]
    shown_title = page.seo_title or page.title
    prose = " ".join(text for tag, text in lead + body if tag not in _HEADINGS)
    slug_words = slugify(keyword)
    checks = [
        _keyword_check(
            "keyphrase_title", "Keyphrase in the SEO title", keyword,
            contains_phrase(shown_title, keyword), "the SEO title",
            "Put the keyphrase in the SEO title, near its start.",
        ),
        _keyword_check(
            "keyphrase_h1", "Keyphrase in the heading (H1)", keyword,
            contains_phrase(page.title, keyword), "the title, the page's H1",
            "Use the keyphrase in the title: it is the page's main heading.",
        ),
        _keyword_check(
            "keyphrase_first_paragraph", "Keyphrase in the first paragraph", keyword,
            contains_phrase(first, keyword), "the first paragraph",
            "Say the keyphrase in the lead, the first paragraph readers see.",
        ),
        _keyword_check(
            "keyphrase_slug", "Keyphrase in the address", keyword,
            bool(slug_words) and f"-{slug_words}-" in f"-{page.slug}-", "the slug",
            f"The address is made of {page.slug_from}: choose a keyphrase close to it."
            if page.slug_from
            else f"Make the slug the keyphrase ({slug_words or '…'}); the old address will "
            "redirect.",
        ),
        _keyword_check(
            "keyphrase_description", "Keyphrase in the meta description", keyword,
            contains_phrase(page.meta_description, keyword), "the meta description",
            "Use the keyphrase in the meta description: search results show it in bold.",
        ),
        _keyword_check(
            "keyphrase_subheading", "Keyphrase in a subheading", keyword,
            any(contains_phrase(heading, keyword) for heading in headings),
            "a subheading (## in the text)" if headings else "a subheading: the text has none",
            "Use the keyphrase, or a close variant, in one ## subheading of the text.",
        ),
    ]  # fmt: skip
    checks.append(_density_check(prose, keyword))
    if keyword:
        checks.append(
            Check(
                "keyphrase_unique",
                "Keyphrase used once in the cluster",
                not page.same_keyword,
                "No other page targets it."
                if not page.same_keyword
                else "Also the target of " + ", ".join(f"“{t}”" for t in page.same_keyword) + ".",
                ""
                if not page.same_keyword
                else "Choose another keyphrase, or merge the pages: two pages compete for one "
                "search.",
            )
        )
    checks += _prose_checks(lead + body)
    checks += _link_checks(page.links_in, page.links_out)
    return Analysis(checks)


def _density_check(prose, keyword):
    label = "Keyphrase density"
    if not keyword:
        return _keyword_check("keyphrase_density", label, keyword, False, "", "")
    words = len(words_of(prose))
    if not words:
        return Check("keyphrase_density", label, False, "No text yet.", "Write the text.")
    density = 100 * phrase_count(prose, keyword) / words
    good = DENSITY_MIN <= density <= DENSITY_MAX
    if good:
        hint = ""
    elif density < DENSITY_MIN:
        hint = "Say the keyphrase a few more times where it fits."
    else:
        hint = "Say the keyphrase less often: use pronouns and synonyms."
    detail = (
        f"“{keyword}” is {density:.1f} % of {words} words (aim for {DENSITY_MIN}–{DENSITY_MAX} %)."
    )
    return Check("keyphrase_density", label, good, detail, hint)


def _link_checks(links_in, links_out):
    return [
        Check(
            "links_in",
            "Internal links in",
            links_in > 0,
            "1 published page links here."
            if links_in == 1
            else f"{links_in} published pages link here.",
            ""
            if links_in
            else "Add a card or a link to this page on a related page of its "
            "cluster: without one, readers and crawlers do not find it.",
        ),
        Check(
            "links_out",
            "Internal links out",
            links_out > 0,
            f"It links to {links_out} other page{'s' if links_out != 1 else ''} of the site.",
            ""
            if links_out
            else "Link to the next useful page: a link in the text, a card or a next-step button.",
        ),
    ]


def analyse_faq(faq):
    """The checks of an FAQ entry (:class:`FAQInput`): a question, a short readable answer,
    shown on a page, and a link onwards."""
    blocks = blocks_of(faq.answer_html)
    words = len(words_of(" ".join(text for _tag, text in blocks)))
    low, high = FAQ_ANSWER_WORDS
    question = faq.question.strip()
    checks = [
        Check(
            "question_mark",
            "Asked as a question",
            question.endswith("?"),
            "The question ends with a question mark."
            if question.endswith("?")
            else "The question does not end with “?”.",
            "" if question.endswith("?") else "Write it as people search for it: a question.",
        ),
        Check(
            "answer_length",
            "Answer length",
            low <= words <= high,
            f"The answer has {words} words (aim for {low}–{high}).",
            ""
            if low <= words <= high
            else "Answer in two or three sentences that stand on their own."
            if words < low
            else "Keep the short answer here and link to the page that explains the rest.",
        ),
        *_prose_checks(blocks),
        Check(
            "placed",
            "Shown on a page",
            faq.public_places > 0,
            f"Shown on {faq.public_places} published page{'s' if faq.public_places != 1 else ''}.",
            ""
            if faq.public_places
            else "Place it on the page whose readers ask it (Appears on);"
            " until then only the FAQ index lists it.",
        ),
        Check(
            "links_out",
            "Internal links out",
            faq.links_out > 0,
            f"The answer links to {faq.links_out} page{'s' if faq.links_out != 1 else ''}.",
            "" if faq.links_out else "Link from the answer to the page that explains more.",
        ),
    ]
    return Analysis(checks)


# --- What the analysis reads, from the database and from a form being typed -------------------


def _rendered(text):
    return markdown.render_html(text) if text and text.strip() else ""


def local_paths(html_fragments, base_path):
    """The addresses on this site that links in ``html_fragments`` lead to."""
    paths = set()
    for html in html_fragments:
        for href in hrefs_in(html):
            path = local_path(href, base_path)
            if path is not None:
                paths.add(path)
    return paths


def items_at(paths):
    """``{address: item id}`` for the addresses of ``paths`` that lead to an item, at its
    current address or an earlier one (two queries)."""
    if not paths:
        return {}
    found = dict(ContentItem.objects.filter(path__in=paths).values_list("path", "pk"))
    found |= dict(Redirect.objects.filter(old_path__in=paths).values_list("old_path", "target"))
    return found


def _text_targets(html_fragments, base_path, *, known=None):
    """The ids of the items that links in ``html_fragments`` lead to. ``known``: the
    ``items_at`` of a larger set of addresses, read once for a whole list."""
    paths = local_paths(html_fragments, base_path)
    found = known if known is not None else items_at(paths)
    return {found[path] for path in paths if path in found}


def item_input(model, item=None, *, data=None, summary=None):
    """The :class:`PageInput` of an item of ``model``: its saved text, or the text of ``data``
    (a form being typed: field name -> Markdown or text; missing fields keep the saved values).

    Raises ``markdown.MarkdownTooComplex`` when typed Markdown cannot be rendered in time.
    """
    summary = summary if summary is not None else link_summary()
    item_id = item.pk if item is not None else None

    def value(name):
        if data is not None and name in data:
            return str(data[name])
        return str(getattr(item, name, "") or "") if item is not None else ""

    markdown_fields = model.markdown_fields()
    if data is None and item is not None:
        html = {name: getattr(item, f"{name}_html") for name in markdown_fields}
    else:
        html = {name: _rendered(value(name)) for name in markdown_fields}
    lead_html = html.pop("lead", "")
    next_step_html = html.pop("next_step", "")
    body_parts = [html.pop("body", ""), *html.values(), next_step_html]

    if data is None and item is not None:
        text_out = set(summary["text_out"].get(item_id, ()))
    else:
        base = item.path if item is not None else "/"
        text_out = _text_targets([lead_html, *body_parts], base)
    other_out = set(summary["other_out"].get(item_id, ()))
    keyword = value("target_keyword")
    same = [
        title
        for other_id, title in summary["keywords"].get(keyword_key(keyword), [])
        if other_id != item_id
    ]
    description = value("seo_description") or shorten(
        markdown.to_plain_text(lead_html), META_DESCRIPTION_MAX, at=" "
    )
    return PageInput(
        title=value("title"),
        seo_title=value("seo_title"),
        slug=value("slug"),
        meta_description=description,
        keyword=keyword,
        lead_html=lead_html,
        body_html="".join(body_parts),
        links_in=summary["inbound"].get(item_id, 0) if item_id else 0,
        links_out=len((text_out | other_out) - {item_id}),
        same_keyword=same,
        slug_from=model.SLUG_FROM,
    )


def analyse_item(model, item=None, *, data=None, summary=None):
    return analyse(item_input(model, item, data=data, summary=summary))


FAQ_BASE_PATH = "/faq/"


def faq_input(faq=None, *, data=None, public_places=None, known=None):
    """The :class:`FAQInput` of an FAQ entry, saved or as ``data`` holds it being typed.
    ``known``: the items at the addresses its answer links to (``items_at``), when a list has
    read them for all its entries."""
    if data is not None:
        question = str(data.get("question", faq.question if faq else ""))
        answer_html = _rendered(str(data.get("answer", faq.answer if faq else "")))
    else:
        question, answer_html = faq.question, faq.answer_html
    if public_places is None:
        public_places = (
            faq.placements.filter(item__in=ContentItem.objects.published()).count()
            if faq is not None and faq.pk
            else 0
        )
    return FAQInput(
        question=question,
        answer_html=answer_html,
        links_out=len(_text_targets([answer_html], FAQ_BASE_PATH, known=known)),
        public_places=public_places,
    )
