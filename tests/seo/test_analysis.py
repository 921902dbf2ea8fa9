"""On-page analysis: each check passes on good text and warns, with a hint, on poor text; the
list's score column; the endpoint the form calls as the editor types, and who may call it."""

import json

import pytest
from django.urls import reverse

from comparisons.models import Role
from faq.models import FAQ
from harness_cms.core.visibility import Status
from harness_cms.seo import analysis
from harness_cms.seo.analysis import FAQInput, PageInput, analyse, analyse_faq
from tests.factories import make_comparison, make_faq, make_link, make_page, make_role
from tests.seo.conftest import soup_of

GOOD_BODY = (
    "<h2>What a harness engineer owns</h2>"
    "<p>A harness engineer builds the system around the model. The work is plain to describe. "
    "It keeps long tasks on track. It keeps memory small and clean. Each step can be checked. "
    "Teams ask for this when agents run for hours. The role grows with the product.</p>"
    "<p>The job has three parts. First comes context. Then comes memory. Last come the tools "
    "the agent calls. A good harness makes each part easy to test. It also makes each part "
    "easy to change.</p>"
)
GOOD = PageInput(
    title="Harness Engineer",
    seo_title="Harness Engineer: what the role does",
    slug="harness-engineer",
    meta_description="What a harness engineer does: context, memory and tools for agents.",
    keyword="Harness Engineer",
    lead_html="<p>A harness engineer keeps agents on track over long tasks.</p>",
    body_html=GOOD_BODY,
    links_in=3,
    links_out=2,
)
LONG_SENTENCE = (
    "Notwithstanding considerable organisational heterogeneity, contemporary institutional "
    "configurations systematically necessitate comprehensive interdisciplinary collaboration "
    "amongst technologically sophisticated practitioners operating internationally within "
    "extraordinarily complicated multinational administrative hierarchies."
)
BAD = PageInput(
    title="A role",
    seo_title="",
    slug="a-role",
    meta_description="Something else entirely.",
    keyword="Harness Engineer",
    lead_html="<p>An introduction that names nothing in particular.</p>",
    body_html=("<h2>Background</h2><p>" + " ".join([LONG_SENTENCE] * 8) + "</p>"),
    links_in=0,
    links_out=0,
    same_keyword=["Another page"],
)


def checks(result):
    return {check.key: check for check in result.checks}


KEYS = [
    "keyphrase_title",
    "keyphrase_h1",
    "keyphrase_first_paragraph",
    "keyphrase_slug",
    "keyphrase_description",
    "keyphrase_subheading",
    "keyphrase_density",
    "keyphrase_unique",
    "readability",
    "sentence_length",
    "paragraph_length",
    "links_in",
    "links_out",
]


@pytest.mark.parametrize("key", KEYS)
def test_each_check_passes_on_good_text(key):
    check = checks(analyse(GOOD))[key]
    assert check.ok, check.detail
    assert check.hint == ""


@pytest.mark.parametrize("key", KEYS)
def test_each_check_warns_on_poor_text_with_a_hint(key):
    check = checks(analyse(BAD))[key]
    assert not check.ok, check.detail
    assert check.hint


def test_the_score_is_the_share_of_checks_that_pass():
    assert analyse(GOOD).score == 100
    assert analyse(BAD).score == 0
    half = PageInput(**{**GOOD.__dict__, "links_in": 0, "links_out": 0})
    assert analyse(half).score == round(100 * (len(KEYS) - 2) / len(KEYS))


def test_the_keyphrase_is_matched_as_whole_words_in_any_case():
    assert analysis.contains_phrase("What does a HARNESS engineer do?", "harness  engineer")
    assert not analysis.contains_phrase("harnesses engineered", "harness engineer")
    assert analysis.phrase_count("Harness engineer, harness engineer.", "harness engineer") == 2


def test_the_keyphrase_is_in_the_slug_as_whole_words():
    def in_slug(slug):
        return checks(analyse(PageInput(**{**GOOD.__dict__, "slug": slug})))["keyphrase_slug"].ok

    assert in_slug("harness-engineer") and in_slug("the-harness-engineer-role")
    assert not in_slug("harness-engineering") and not in_slug("big-harness-engineers")


def test_an_overused_keyphrase_warns_about_stuffing():
    stuffed = PageInput(**{**GOOD.__dict__, "body_html": "<p>" + "harness engineer " * 40 + "</p>"})
    check = checks(analyse(stuffed))["keyphrase_density"]
    assert not check.ok and "less often" in check.hint


def test_without_a_keyword_the_keyphrase_checks_ask_for_one():
    result = analyse(PageInput(**{**GOOD.__dict__, "keyword": ""}))
    for key in KEYS[:7]:
        assert "Set the target keyword" in checks(result)[key].hint
    assert "keyphrase_unique" not in checks(result)


def test_reading_ease_follows_the_flesch_formula():
    # 2 sentences, 7 words, 8 syllables (hap-py has two).
    assert analysis.reading_ease("The cat sat down. It was happy.") == pytest.approx(
        206.835 - 1.015 * 7 / 2 - 84.6 * 8 / 7
    )
    assert analysis.reading_ease("") is None


def test_faq_checks_pass_and_warn():
    good = FAQInput(
        question="Does a harness engineer replace an AI engineer?",
        answer_html="<p>No. The two roles work side by side. One builds the features; the other "
        "keeps long tasks, memory and context under control. Teams that build agents often "
        "need both of them.</p>",
        links_out=1,
        public_places=2,
    )
    assert analyse_faq(good).score == 100
    bad = analyse_faq(FAQInput(question="Roles", answer_html="<p>Yes.</p>"))
    assert {c.key for c in bad.warnings} == {
        "question_mark", "answer_length", "placed", "links_out",
    }  # fmt: skip
    assert all(check.hint for check in bad.warnings)


# -- what the analysis reads from the site -------------------------------------------------------


@pytest.mark.django_db
def test_links_in_and_out_come_from_the_link_graph():
    role = make_role("Harness Engineer", target_keyword="harness engineer")
    guide = make_page("Reading list", body=f"Start with [the role]({role.path}).")
    make_link(guide, make_page("Linked draft", status=Status.DRAFT))
    lonely = make_page("Lonely", status=Status.DRAFT)
    result = checks(analysis.analyse_item(Role, role))
    assert result["links_in"].ok and "1 published page links here" in result["links_in"].detail
    page_checks = checks(analysis.analyse_item(type(guide), guide))
    assert page_checks["links_out"].detail == "It links to 2 other pages of the site."
    assert not checks(analysis.analyse_item(type(lonely), lonely))["links_in"].ok


@pytest.mark.django_db
def test_the_same_keyword_on_another_page_is_named():
    make_role("Harness Engineer", target_keyword="Harness Engineer")
    other = make_page("Harness primer", target_keyword="harness  engineer")
    check = checks(analysis.analyse_item(type(other), other))["keyphrase_unique"]
    assert not check.ok and "“Harness Engineer”" in check.detail


@pytest.mark.django_db
def test_typed_text_is_analysed_instead_of_the_saved_text():
    role = make_role("Harness Engineer", target_keyword="harness engineer")
    target = make_page("Workflow", role=role)
    typed = {"lead": f"No keyphrase, but [a link]({target.path}).", "title": "Something"}
    result = checks(analysis.analyse_item(Role, role, data=typed))
    assert not result["keyphrase_h1"].ok
    assert not result["keyphrase_first_paragraph"].ok
    assert result["links_out"].detail == "It links to 1 other page of the site."


# -- the list column --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_lists_show_each_items_score(editor_client):
    make_role("Harness Engineer", target_keyword="harness engineer", lead="A harness engineer.")
    make_role("No keyword")
    soup = soup_of(editor_client.get(reverse("admin:comparisons_role_changelist")))
    assert soup.find("th", class_="column-seo_score")
    scores = {
        row.find("th").get_text(strip=True): row.find(class_="seo-score")
        for row in soup.select("#result_list tbody tr")
    }
    assert int(scores["Harness Engineer"].text) > int(scores["No keyword"].text)
    assert "to improve" in scores["No keyword"]["title"]


@pytest.mark.django_db
def test_the_faq_list_shows_each_entrys_score(editor_client):
    page = make_page("Guide")
    make_faq("Is this a good question?", on=[page])
    make_faq("Statement")
    soup = soup_of(editor_client.get(reverse("admin:faq_faq_changelist")))
    scores = {
        row.find("th").get_text(strip=True): int(row.find(class_="seo-score").text)
        for row in soup.select("#result_list tbody tr")
    }
    assert scores["Is this a good question?"] > scores["Statement"]


# -- the endpoint -------------------------------------------------------------------------------


def analysis_url(obj=None, model=Role):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if obj is None:
        return reverse(f"{info}_analysis_add")
    return reverse(f"{info}_analysis", args=[obj.pk])


@pytest.mark.django_db
def test_the_endpoint_analyses_the_typed_fields(editor_client):
    role = make_role("Harness Engineer", target_keyword="harness engineer")
    response = editor_client.post(analysis_url(role), {"title": "Something else"})
    assert response.status_code == 200
    data = json.loads(response.content)
    h1 = next(check for check in data["checks"] if check["key"] == "keyphrase_h1")
    assert not h1["ok"] and h1["hint"]
    response = editor_client.post(analysis_url(role), {"title": "The Harness Engineer"})
    h1 = next(c for c in json.loads(response.content)["checks"] if c["key"] == "keyphrase_h1")
    assert h1["ok"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_endpoint_works_on_the_add_form(editor_client):
    response = editor_client.post(
        analysis_url(), {"title": "Prompt Engineer", "target_keyword": "prompt engineer"}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["score"] < 100


@pytest.mark.django_db
def test_the_endpoint_refuses_bad_input_with_a_clear_error(editor_client):
    role = make_role()
    assert editor_client.get(analysis_url(role)).status_code == 405
    too_long = editor_client.post(analysis_url(role), {"body": "x" * 200_001})
    assert too_long.status_code == 400 and "too long" in json.loads(too_long.content)["error"]
    missing = editor_client.post(analysis_url(Role(pk=99999)), {})
    assert missing.status_code == 404


@pytest.mark.django_db
def test_faq_staff_may_analyse_faqs_only(faq_staff_client):
    faq = make_faq("Why?")
    response = faq_staff_client.post(analysis_url(faq, FAQ), {"question": "Why not?"})
    assert response.status_code == 200
    assert json.loads(response.content)["checks"][0]["ok"]
    role = make_role()
    assert faq_staff_client.post(analysis_url(role), {"title": "x"}).status_code == 403
    assert faq_staff_client.post(analysis_url(), {"title": "x"}).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_get_no_analysis(client):
    role = make_role()
    response = client.post(analysis_url(role), {"title": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(analysis_url(make_faq(), FAQ), {"question": "x"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_form_shows_the_saved_analysis_and_where_to_send_typed_text(editor_client):
    role = make_role("Harness Engineer", target_keyword="harness engineer")
    soup = soup_of(editor_client.get(role.admin_url()))
    panel = soup.find(id="harness-analysis")
    assert panel["data-url"] == analysis_url(role)
    assert {"title", "target_keyword", "lead", "body"} <= set(panel["data-fields"].split())
    assert panel.find(attrs={"data-check": "keyphrase_h1"})["class"] == ["ok"]
    faq = make_faq("Why?")
    faq_panel = soup_of(editor_client.get(reverse("admin:faq_faq_change", args=[faq.pk])))
    assert faq_panel.find(id="harness-analysis")["data-fields"] == "question answer"


@pytest.mark.django_db
def test_a_comparisons_address_is_not_asked_to_change():
    comparison = make_comparison(
        make_role("Harness Engineer"), make_role("AI Engineer"), target_keyword="harness vs ai"
    )
    check = checks(analysis.analyse_item(type(comparison), comparison))["keyphrase_slug"]
    assert not check.ok and "the slugs of its two roles" in check.hint
    page = make_page("Guide", target_keyword="harness vs ai")
    check = checks(analysis.analyse_item(type(page), page))["keyphrase_slug"]
    assert "Make the slug the keyphrase (harness-vs-ai)" in check.hint


def list_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the link summary is cached from here on, as between two list views
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_score_columns_cost_no_query_per_row(editor_client):
    target = make_page("Target")
    roles_url = reverse("admin:comparisons_role_changelist")
    faqs_url = reverse("admin:faq_faq_changelist")
    make_role(body=f"[x]({target.path})")
    make_faq(answer=f"[x]({target.path})", on=[target])
    editor_client.get(faqs_url)  # the session's first request reads more (its first visit)
    few = list_queries(editor_client, roles_url), list_queries(editor_client, faqs_url)
    for _ in range(5):
        make_role(body=f"[x]({target.path})", target_keyword="k")
        make_faq(answer=f"[x]({target.path}) and [y](/roles/none/)", on=[target])
    assert (list_queries(editor_client, roles_url), list_queries(editor_client, faqs_url)) == few
