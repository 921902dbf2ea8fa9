"""The shared layout of every public page, on the demo cluster: navigation, search form, skip link,
one <h1>, contents links that land, FAQ anchors, and nothing the Content Security Policy blocks."""

import re

import pytest
from bs4 import BeautifulSoup

from harness_cms.core.models import SiteSettings
from tests.demo import load_demo
from tests.factories import make_comparison, make_link, make_page, make_role

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "role": "/roles/harness-engineer/",
    "cluster": "/roles/harness-engineer/architecture/",
    "comparison": "/compare/harness-engineer-vs-ai-engineer/",
    "comparisons": "/compare/",
    "faq": "/faq/",
    "topics": "/tags/",
    "topic": "/tags/context-engineering/",
    "search": "/search/?q=memory",
    "search-empty": "/search/",
}


@pytest.fixture
def demo(db):
    load_demo()


def get_soup(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_has_the_shared_layout_and_nothing_the_csp_blocks(client, demo, path):
    html = client.get(path).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("h1")) == 1
    assert 10 <= len(soup.title.get_text(strip=True)) <= 65
    assert soup.body.find("a")["class"] == ["skip-link"]
    assert soup.find("main", id="main")
    nav = soup.find("nav", attrs={"aria-label": "Main"})
    assert [a["href"] for a in nav.find_all("a")] == ["/roles/", "/compare/", "/faq/"]
    form = soup.find("header").find("form", role="search")
    assert (form["action"], form["method"]) == ("/search/", "get")
    assert form.find("input", attrs={"name": "q"})["id"] == form.find("label")["for"]
    assert soup.find("link", rel="icon")["href"].endswith("favicon.svg")
    assert soup.find("footer", class_="site-footer").find("a", href="/tags/")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", script
    assert not soup.find_all("style")
    assert not soup.find_all(style=True)
    assert not re.search(r"\son[a-z]+\s*=", html), "event-handler attribute"
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("kind", ["home", "role", "cluster", "comparison", "faq"])
def test_contents_and_faq_links_land_on_ids_of_the_same_page(client, demo, kind):
    soup = get_soup(client, PAGES[kind])
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    fragments = [a["href"][1:] for a in soup.find_all("a", href=re.compile(r"^#."))]
    assert fragments, "the page links to parts of itself"
    assert set(fragments) <= ids
    assert len(ids) == len(soup.find_all(id=True)), "ids are unique"


def test_each_faq_is_a_details_element_with_a_link_to_itself(client, demo):
    soup = get_soup(client, PAGES["comparison"])
    questions = soup.select("details.faq")
    assert len(questions) >= 4
    for details in questions:
        assert details.summary.get_text(strip=True)
        assert details.find("a", class_=None, href=f"#{details['id']}")


def test_the_comparison_table_labels_each_cell_with_its_role(client, demo):
    table = get_soup(client, PAGES["comparison"]).find("table", class_="compare-table")
    columns = [th.get_text() for th in table.thead.find_all("th")]
    assert columns == ["Dimension", "Harness Engineer", "AI Engineer"]
    for row in table.tbody.find_all("tr"):
        assert row.th["scope"] == "row"
        assert [td["data-label"] for td in row.find_all("td")] == columns[1:]


def test_the_home_hub_shows_its_own_faqs_next_step_and_cards(client, demo):
    soup = get_soup(client, "/")
    assert soup.select("#roles .role-card a[href='/roles/harness-engineer/']")
    assert soup.select("#roles .role-card a[href='/roles/harness-engineer/workflow/']")
    assert len(soup.select("#comparisons .card")) == 2
    assert soup.select("details.faq#what-is-a-harness-engineer")
    assert soup.select(".next-step a.button")
    # The hub lists every role, comparison and guide of the demo already: its cards to them
    # are not repeated under "Related pages".
    assert not soup.select(".related .card")


def test_related_cards_to_pages_the_page_lists_are_not_repeated(client, db):
    role = make_role("Harness Engineer")
    guide = make_page("Workflow", role=role)
    elsewhere = make_page("Reading list")
    make_link(role, guide, title="The workflow")
    make_link(role, elsewhere, title="Further reading")
    soup = get_soup(client, role.path)
    assert [a["href"] for a in soup.select("#guides .card-link")] == [guide.path]
    assert [a["href"] for a in soup.select(".related .card-link")] == [elsewhere.path]


def test_more_comparisons_leave_out_what_the_cards_show(client, db):
    harness, ai, prompt = make_role("Harness"), make_role("AI"), make_role("Prompt")
    comparison = make_comparison(harness, ai)
    carded = make_comparison(harness, prompt)
    other = make_comparison(ai, prompt)
    make_link(comparison, carded)
    soup = get_soup(client, comparison.path)
    assert [a["href"] for a in soup.select(".related .card-link")] == [carded.path]
    assert [a["href"] for a in soup.select(".other-comparisons .card-link")] == [other.path]


def test_a_cluster_page_marks_itself_in_the_cluster_list(client, demo):
    soup = get_soup(client, PAGES["cluster"])
    current = soup.find("nav", class_="cluster-nav").find("a", attrs={"aria-current": "page"})
    assert current["href"] == PAGES["cluster"]
    assert soup.find("a", rel="prev") and soup.find("a", rel="next")


def test_markdown_tables_scroll_inside_a_labelled_focusable_box(client, demo):
    soup = get_soup(client, PAGES["cluster"])
    box = soup.find("div", class_="table-scroll")
    assert box.table and box["tabindex"] == "0" and box["role"] == "region"


def test_the_main_navigation_marks_the_section_of_each_page_and_no_other(client, demo):
    # The header is rendered once per section and kept: each page still gets its own.
    expected = {"/": "/", "/roles/": "/roles/", "/compare/": "/compare/", "/faq/": "/faq/"}
    for path in [*expected, PAGES["comparison"], PAGES["topics"], "/", PAGES["comparison"]]:
        header = get_soup(client, path).find("header", class_="site-header")
        marked = [a["href"] for a in header.find_all("a", attrs={"aria-current": "page"})]
        assert marked == ([expected[path]] if path in expected else []), path


def test_a_new_site_name_and_tagline_show_in_the_header_and_footer_at_once(client, demo):
    get_soup(client, PAGES["role"])
    site = SiteSettings.load()
    site.site_name, site.tagline = "Agent Field Guide", "Roles, side by side."
    site.save()
    soup = get_soup(client, PAGES["role"])
    assert soup.select_one(".site-header .brand").get_text(strip=True) == "Agent Field Guide"
    footer = soup.select_one(".site-footer .footer-about").get_text(" ", strip=True)
    assert footer == "Agent Field Guide Roles, side by side."


def test_cards_carry_their_title_line_link_and_picture(client, demo):
    role = make_role("Eval Engineer", summary="Builds the evaluations.")
    other = make_role("Data Engineer")
    make_comparison(role, other, seo_description="Eval and data work side by side.")
    make_link(role, external_url="https://example.com/evals", title="Eval primer", blurb="Outside.")
    soup = get_soup(client, role.path)
    related = soup.select_one("#related-pages .card")
    assert related.select_one(".card-title").get_text() == "Eval primer"
    assert related.select_one(".card-blurb").get_text() == "Outside."
    assert related.select_one(".card-link")["href"] == "https://example.com/evals"
    assert related.select_one(".card-link")["rel"] == ["noopener"]
    compared = soup.select_one("#comparisons .card")
    assert compared.select_one(".card-title").get_text() == "Eval Engineer vs Data Engineer"
    assert compared.select_one(".card-blurb").get_text() == "Eval and data work side by side."
    assert not compared.select_one(".card-link").get("rel")


def test_the_header_follows_a_change_of_the_static_files_storage(client, settings):
    # The header is rendered once per process; the static export switches storages in-process.
    from harness_cms.core.templatetags import site_tags

    client.get("/")
    assert site_tags._remembered
    settings.STATIC_URL = "/assets/"
    assert not site_tags._remembered
    assert b'src="/assets/favicon.svg"' in client.get("/").content
