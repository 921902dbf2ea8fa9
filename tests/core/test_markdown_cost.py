"""Every Markdown render has a bounded cost: the shapes that made python-markdown quadratic
cost work linear in their length, anything else is stopped by the render's time budget in a
worker process, and a text within the field limits never hangs a request.

No timing is asserted: the work is counted (Python lines executed, deterministic), and the
budget is tried on inputs that take seconds, far past it. bench/markdown_cost.py measures.
"""

import sys
from pathlib import Path
from urllib.parse import urlencode

import markdown as python_markdown
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from harness_cms.core import markdown, markdown_engine
from harness_cms.core.models import BODY_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from tests.admin_forms import submit
from tests.core.test_markdown import assert_inert
from tests.factories import make_faq, make_role

DEMO_CONTENT = Path(__file__).resolve().parents[2] / "harness_cms/content_files/demo_content"

# Each a function of n: a text about n characters long, of a shape python-markdown 3 took
# quadratic time over (measured in decision 0081).
QUADRATIC_SHAPES = {
    "runs of [": lambda n: "[" * n,
    "runs of ![": lambda n: "![" * (n // 2),
    "runs of [^": lambda n: "[^" * (n // 2),
    "deeply nested brackets": lambda n: "[" * (n // 2) + "x" + "]" * (n // 2),
    "links never closed": lambda n: "[a](" * (n // 4),
    "links closed once at the end": lambda n: "[a](x" * (n // 5) + ")",
    "link titles never closed": lambda n: '[a](x "y)' * (n // 9),
    "angle-bracket links never closed": lambda n: "[a](<" * (n // 5),
    "one heading repeated": lambda n: "# h\n" * (n // 4),
    "distinct headings in one block": lambda n: "".join(f"## h{i}\n" for i in range(n // 8)),
    "setext headings in one block": lambda n: "a\n===\n" * (n // 6),
}


def executed_lines(function, *args):
    """How many lines of Python ``function(*args)`` executes: a count of work that does not
    depend on the machine or its load."""
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        function(*args)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("shape", QUADRATIC_SHAPES)
def test_a_shape_that_was_quadratic_costs_work_linear_in_its_length(shape):
    """Four times the text, about four times the work (sixteen if quadratic)."""
    make = QUADRATIC_SHAPES[shape]
    small = executed_lines(markdown_engine.convert, make(400))
    large = executed_lines(markdown_engine.convert, make(1600))
    assert large <= 5.5 * small, f"{shape}: {small:,} lines for 400 chars, {large:,} for 1,600"


def _stock(text):
    """python-markdown as shipped, with the site's extensions."""
    md = python_markdown.Markdown(
        extensions=[*markdown_engine.EXTENSIONS, markdown_engine.DemoteH1Extension()],
        extension_configs=markdown_engine.EXTENSION_CONFIGS,
    )
    return md.convert(text), md.toc_tokens


def _demo_texts():
    for path in sorted(DEMO_CONTENT.glob("*/*.md")):
        yield path.read_text(encoding="utf-8").split("---", 2)[-1]


LINKS_HEADINGS_AND_TABLES = [
    '[a](/x "t (1)")',
    "[a [b] c](/x)",
    "[a](/a(b)c) and [b](/d)",
    '[a](/url "x)y")',
    "[x](<a url> 'title')",
    '![img](/i.png "t") ![alt [x]](/j.png)',
    "[r][id] and [id][] and [id]\n\n[id]: /x 'T'",
    "[not closed (x](/y) [y](/z",
    "Title\n=====\ntext",
    "A\n---\nB",
    "# one\n## two\ntext # not\n### three ###",
    "para\n# heading\nmore\n\n- item\n# h in list",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "|a|\n|-|\n|b|",
    "a | b\n--|--\n1 | 2",
    "a | b\nnot a separator\n1 | 2",
    "<div>\n# x\n</div>\n\n[a](/b)",
]


@pytest.mark.parametrize("text", [*LINKS_HEADINGS_AND_TABLES, *_demo_texts()])
def test_the_engine_renders_exactly_as_python_markdown_does(text):
    """The replaced processors change the cost, not the output."""
    assert markdown_engine.convert(text) == _stock(text)


# The characters Markdown and HTML give meaning to, and a little text between them.
PATHOLOGICAL_PIECES = st.sampled_from(
    [
        "[", "]", "(", ")", "![", "[^", "<", ">", "</", "<a ", '"', "'", "`", "```", "*", "_",
        "**", "~", "#", "# h", "=", "-", "|", "&", "&#", "\\", "!", ":", "\n", "\n\n", "    ",
        "> ", "- ", "1. ", "<!--", "-->", "http://", "<div>", "a", " ", "x" * 20,
    ]
)  # fmt: skip


@st.composite
def pathological_texts(draw):
    """A run of one to three pieces repeated up to a field's limit: the shape of an attack."""
    unit = "".join(draw(st.lists(PATHOLOGICAL_PIECES, min_size=1, max_size=3)))
    limit = draw(st.sampled_from([SHORT_TEXT_MAX_LENGTH, 50_000, BODY_MAX_LENGTH]))
    prefix = draw(st.text(max_size=20))
    return prefix + unit * (limit // len(unit))


@given(text=pathological_texts())
def test_fuzz_a_pathological_text_at_the_limits_renders_or_is_refused_cleanly(text):
    """Whatever the shape, a render either finishes, sanitised, or is stopped by the budget
    with a message for the editor; it never raises anything else or hangs."""
    try:
        rendered = markdown.render(text)
    except markdown.MarkdownTooComplex as refused:
        assert "split" in str(refused)
    else:
        assert_inert(rendered.html)


# About 180,000 characters of ordinary Markdown: some 0.15 s of work, fifteen times a budget
# of 0.01 s.
LONG_TEXT = "A paragraph with **bold**, `code` and [a link](/roles/x/).\n\n" * 3_000


def test_a_render_past_its_budget_is_stopped_and_the_next_one_works(settings):
    settings.MARKDOWN_RENDER_BUDGET = 0.01
    with pytest.raises(markdown.MarkdownTooComplex):
        markdown.render(LONG_TEXT)
    settings.MARKDOWN_RENDER_BUDGET = 5
    assert markdown.render("**still** works").html == "<p><strong>still</strong> works</p>"


def test_a_text_nested_past_python_markdowns_recursion_is_refused_not_a_server_error():
    """A list marker repeated 500 times before a word (1,001 characters) nests lists until
    python-markdown hits Python's recursion limit: a server error before."""
    with pytest.raises(markdown.MarkdownTooComplex):
        markdown.render("- " * 500 + "a")
    assert markdown.render("- one\n- two").html == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"


def test_faq_staff_save_an_answer_of_brackets_at_its_limit(faq_staff_client):
    """5,000 characters of `[` cost ~7 s per save before."""
    faq = make_faq("Brackets?", status="draft")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    response = submit(faq_staff_client, url, {"answer": "[" * SHORT_TEXT_MAX_LENGTH})
    assert response.status_code == 302
    faq.refresh_from_db()
    assert faq.answer_html == "<p>" + "[" * SHORT_TEXT_MAX_LENGTH + "</p>"


def test_a_text_past_the_budget_is_a_form_error_and_nothing_is_saved(editor_client, settings):
    role = make_role("Harness Engineer", body="Original.")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    settings.MARKDOWN_RENDER_BUDGET = 0.01
    response = submit(editor_client, url, {"body": LONG_TEXT})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "too complex" in str(errors["body"])
    role.refresh_from_db()
    assert role.body == "Original."


def test_the_live_preview_of_a_bracket_flood_answers(faq_staff_client):
    """Three of these at once used to time out every gunicorn worker: now the preview shows
    the brackets, or says the text is too complex, and the next preview works."""
    url = reverse("admin:faq_faq_markdown_preview")
    flood = urlencode({"text": "[" * 200_000})
    response = faq_staff_client.post(url, flood, content_type="application/x-www-form-urlencoded")
    if response.status_code == 200:
        assert response.json()["html"] == "<p>" + "[" * 200_000 + "</p>"
    else:
        assert response.status_code == 400 and "too complex" in response.json()["error"]
    response = faq_staff_client.post(url, {"text": "**next**"})
    assert response.json()["html"] == "<p><strong>next</strong></p>"


def test_the_live_preview_of_a_text_past_the_budget_says_so(faq_staff_client, settings):
    settings.MARKDOWN_RENDER_BUDGET = 0.01
    response = faq_staff_client.post(reverse("admin:faq_faq_markdown_preview"), {"text": LONG_TEXT})
    assert response.status_code == 400
    assert "too complex" in response.json()["error"]
