"""Markdown is rendered with tables, heading ids and fenced code, then sanitised."""

import pytest
from bs4 import BeautifulSoup

from harness_cms.core import markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">para</p>',
    '<a href="#" onmouseover="alert(1)">x</a>',
    '<form action="https://evil.example"><input name="q"></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<h2 id="__proto__">clobber</h2>',
    "<!--<script>alert(1)</script>-->",
]

UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


def assert_inert(html):
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in {
            "script",
            "iframe",
            "style",
            "svg",
            "math",
            "object",
            "embed",
            "form",
            "input",
            "meta",
            "base",
            "link",
        }, html
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), html
            assert attribute != "style", html
            if attribute in {"href", "src"}:
                assert not str(value).strip().lower().startswith(UNSAFE_SCHEMES), html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_renders_inert(text):
    """No executable element, event handler or unsafe URL survives rendering."""
    assert_inert(markdown.render_html(text))


def test_script_text_is_dropped_not_escaped_into_visible_code():
    html = markdown.render_html("Before <script>alert(1)</script> after")
    assert "alert(1)" not in html
    assert "Before" in html and "after" in html


def test_tables_render():
    html = markdown.render_html("| a | b |\n|---|---|\n| 1 | 2 |")
    soup = BeautifulSoup(html, "html.parser")
    assert [th.text for th in soup.find_all("th")] == ["a", "b"]
    assert [td.text for td in soup.find_all("td")] == ["1", "2"]


def test_headings_get_ids_and_a_table_of_contents():
    rendered = markdown.render("## Context layers\n\ntext\n\n### Session layers\n\nmore")
    assert '<h2 id="context-layers">' in rendered.html
    assert rendered.toc == [
        {"id": "context-layers", "name": "Context layers", "level": 2},
        {"id": "session-layers", "name": "Session layers", "level": 3},
    ]


def test_a_top_level_heading_becomes_h2_so_the_page_keeps_one_h1():
    rendered = markdown.render("# Big\n\ntext")
    assert "<h1" not in rendered.html
    assert '<h2 id="big">Big</h2>' in rendered.html
    assert rendered.toc[0]["level"] == 2


def test_fenced_code_keeps_its_language_class_and_escapes_markup():
    html = markdown.render_html("```yaml\nkey: <b>value</b>\n```")
    assert '<code class="language-yaml">' in html
    assert "&lt;b&gt;value&lt;/b&gt;" in html


def test_external_links_get_noopener_and_internal_links_do_not():
    html = markdown.render_html("[out](https://other.example/x) and [in](/roles/x/)")
    soup = BeautifulSoup(html, "html.parser")
    outside, inside = soup.find_all("a")
    assert outside["rel"] == ["noopener"]
    assert "rel" not in inside.attrs


def test_links_to_the_own_site_origin_are_internal(settings):
    settings.SITE_URL = "https://harness.example"
    html = markdown.render_html("[home](https://harness.example/faq/)")
    assert "noopener" not in html


def test_an_author_cannot_smuggle_a_rel_or_target():
    html = markdown.render_html('<a href="/x/" rel="opener" target="_blank">x</a>')
    assert "opener" not in html and "target" not in html


def test_empty_text_renders_nothing():
    assert markdown.render("   \n").html == ""


def test_plain_text_strips_tags_and_unescapes():
    assert markdown.to_plain_text("<p>Fish &amp; <b>chips</b></p>\n<p>two</p>") == (
        "Fish & chips two"
    )
