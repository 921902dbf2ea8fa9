"""The page cache: stored pages are answered without a query and never outlive what they show.

Every test makes a page stored (a first request), checks the second request is answered from
the store (no query), changes one thing the page shows and checks the very next request shows
the change.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comparisons.models import ComparisonRow
from faq.models import FAQPlacement
from harness_cms.core import dependencies, generation
from harness_cms.core.models import Redirect, RelatedLink, SiteSettings
from harness_cms.core.visibility import Status
from harness_cms.editorial import services as workflow
from harness_cms.page_cache.middleware import PageCacheMiddleware
from tests.factories import (
    make_comparison,
    make_faq,
    make_link,
    make_page,
    make_role,
    make_shared_point,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True
    # Here every change shows on the very next request; tests/page_cache/test_invalidation.py
    # covers the changed page answered once more while its replacement is made.
    settings.PAGE_CACHE_STALE_SECONDS = 0


@pytest.fixture
def cluster():
    SiteSettings.load()  # made once, on the first request of a new site
    harness = make_role("Harness Engineer", summary="Owns the runtime.")
    ai = make_role("AI Engineer", summary="Ships models.")
    comparison = make_comparison(harness, ai, rows=2, verdict="They complement each other.")
    make_shared_point(comparison, "Both touch evaluation.")
    guide = make_page("Architecture", role=harness)
    make_faq("Does one replace the other?", answer="No.", on=[comparison])
    make_link(comparison, guide, blurb="Context, session and memory layers.")
    comparison.tags.add("context engineering")
    make_page("Hub", page_kind="hub", is_home=True)
    return {"harness": harness, "ai": ai, "comparison": comparison, "guide": guide}


@pytest.fixture
def stored(client, django_assert_num_queries):
    def stored(path):
        """Request ``path`` twice; the second answer must come from the store (no query)."""
        first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second.status_code == 200
        assert second.content == first.content
        return second.content.decode()

    return stored


def queries_for(client, path):
    """How many queries answering ``path`` costs: none when a stored page answers it."""
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


def text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


# ---- What is stored, and for whom ----------------------------------------------------------


def test_a_stored_page_carries_the_csp_and_security_headers(client, cluster, stored):
    first = client.get(cluster["comparison"].path)
    stored(cluster["comparison"].path)
    second = client.get(cluster["comparison"].path)
    for header in [
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
        "ETag",
        "Last-Modified",
    ]:
        assert second[header] == first[header], header
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/", "/faq/", "/tags/", "/search/", "/roles/harness-engineer/"])
def test_every_public_page_kind_is_stored(client, cluster, path, stored):
    stored(path)


def test_staff_are_never_answered_from_the_store(client, cluster, editor):
    path = cluster["comparison"].path
    client.get(path)  # stored for anonymous visitors
    staff = Client()
    staff.force_login(editor)
    assert queries_for(staff, path) > 0


def test_a_page_made_for_staff_is_never_stored(client, cluster, editor):
    path = cluster["guide"].path
    staff = Client()
    staff.force_login(editor)
    assert staff.get(path).status_code == 200
    # The anonymous visitor gets a page made for them, not the one made for the editor.
    assert queries_for(client, path) > 0


def test_a_visitor_with_a_message_waiting_gets_the_view(client, cluster):
    path = cluster["comparison"].path
    client.get(path)
    client.cookies["messages"] = "x"
    assert queries_for(client, path) > 0


@pytest.mark.parametrize(
    "path", ["/search/?q=memory", "/roles/harness-engineer/?utm_source=x", "/no-such-page/"]
)
def test_searches_odd_query_strings_and_errors_are_not_stored(client, cluster, path):
    client.get(path)
    assert queries_for(client, path) > 0


def test_responses_that_set_a_cookie_are_not_stored(rf, cluster):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("pick", "1")
        return response

    middleware = PageCacheMiddleware(view)
    middleware(rf.get("/anything/"))
    calls = []

    def counting_view(request):
        calls.append(request)
        return view(request)

    PageCacheMiddleware(counting_view)(rf.get("/anything/"))
    assert len(calls) == 1


def test_the_switch_turns_the_store_off(client, cluster, settings):
    settings.PAGE_CACHE = False
    path = cluster["comparison"].path
    client.get(path)
    assert queries_for(client, path) > 0
    assert client.get(path).has_header("ETag")  # ConditionalGetMiddleware still validates


# ---- Conditional requests --------------------------------------------------------------------


def test_if_none_match_gets_a_304_until_the_page_changes(client, cluster):
    path = cluster["comparison"].path
    etag = client.get(path)["ETag"]
    not_modified = client.get(path, headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    cluster["ai"].title = "ML Engineer"
    cluster["ai"].save()
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "ML Engineer" in changed.content.decode()


def test_if_modified_since_gets_a_304_until_the_page_changes(client, cluster):
    path = cluster["comparison"].path
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        last_modified = client.get(path)["Last-Modified"]
        not_modified = client.get(path, headers={"if-modified-since": last_modified})
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        traveller.shift(timedelta(seconds=2))
        cluster["ai"].title = "ML Engineer"
        cluster["ai"].save()
        changed = client.get(path, headers={"if-modified-since": last_modified})
    assert changed.status_code == 200
    assert "ML Engineer" in changed.content.decode()


def test_the_first_answer_to_a_conditional_request_is_a_304_too(client, cluster, settings):
    """A page made for a conditional request is stored and answered 304 at once."""
    path = cluster["comparison"].path
    etag = client.get(path)["ETag"]
    generation.new_generation()  # the store forgets the page; the content is the same
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304


# ---- Invalidation: each thing a page shows ---------------------------------------------------


def test_publishing_and_unpublishing_show_at_once(client, cluster, editor, stored):
    draft = make_role("Prompt Engineer", status=Status.DRAFT)
    assert "Prompt Engineer" not in stored("/")
    workflow.change_status([draft], to=Status.PUBLISHED, user=editor, comment="")
    assert "Prompt Engineer" in text(client, "/")
    assert client.get(draft.path).status_code == 200
    workflow.change_status([draft], to=Status.DRAFT, user=editor, comment="")
    assert "Prompt Engineer" not in text(client, "/")
    assert client.get(draft.path).status_code == 404


def test_editing_a_role_shows_on_its_comparisons(client, cluster, stored):
    path = cluster["comparison"].path
    assert "ML Engineer" not in stored(path)
    cluster["ai"].title = "ML Engineer"
    cluster["ai"].save()
    assert "ML Engineer" in text(client, path)


def test_editing_a_listed_item_shows_on_the_lists(client, cluster, stored):
    role_path = cluster["harness"].path
    stored(role_path)
    comparison = cluster["comparison"]
    comparison.title = "Harness or AI: which one?"
    comparison.save()
    assert "Harness or AI: which one?" in text(client, role_path)


def test_rows_and_shared_points_show_at_once(client, cluster, stored):
    path = cluster["comparison"].path
    stored(path)
    row = ComparisonRow.objects.filter(comparison=cluster["comparison"]).first()
    row.role_a_text = "Changed cell"
    row.save()
    assert "Changed cell" in text(client, path)
    make_shared_point(cluster["comparison"], "Both read traces.", position=5)
    assert "Both read traces." in text(client, path)
    row.delete()
    assert "Changed cell" not in text(client, path)


def test_faq_edits_and_placements_show_at_once(client, cluster, stored):
    path = cluster["comparison"].path
    stored(path)
    faq = make_faq("Who earns more?", answer="It depends.")
    assert "Who earns more?" not in text(client, path)
    placement = FAQPlacement.objects.create(faq=faq, item=cluster["comparison"], position=9)
    assert "Who earns more?" in text(client, path)
    faq.answer = "It depends on the team."
    faq.save()
    assert "It depends on the team." in text(client, path)
    placement.delete()
    assert "Who earns more?" not in text(client, path)


def test_faq_topic_changes_show_on_the_faq_index(client, cluster, stored):
    faq = make_faq("Where do I start?", topic=make_topic("Getting started"))
    stored("/faq/")
    faq.topic.name = "First steps"
    faq.topic.save()
    assert "First steps" in text(client, "/faq/")


def test_cards_and_their_targets_show_at_once(client, cluster, stored):
    path = cluster["comparison"].path
    stored(path)
    guide = cluster["guide"]
    guide.title = "Harness architecture"
    guide.save()
    assert "Harness architecture" in text(client, path)
    link = RelatedLink.objects.get(source=cluster["comparison"], target=guide)
    link.blurb = "The layers, drawn."
    link.save()
    assert "The layers, drawn." in text(client, path)
    make_link(cluster["comparison"], external_url="https://example.com/x", title="Outside read")
    assert "Outside read" in text(client, path)


def test_tags_show_at_once(client, cluster, stored):
    path = cluster["comparison"].path
    stored(path)
    stored("/tags/")
    cluster["comparison"].tags.add("observability")
    assert "observability" in text(client, path)
    assert "observability" in text(client, "/tags/")
    cluster["comparison"].tags.remove("observability")
    assert "observability" not in text(client, path)
    cluster["comparison"].tags.clear()
    assert "context engineering" not in text(client, path)


def test_site_settings_show_at_once(client, cluster, stored):
    stored("/")
    site = SiteSettings.load()
    site.site_name = "Agent Guide"
    site.save()
    assert "Agent Guide" in text(client, "/")


def test_a_moved_page_redirects_at_once(client, cluster, stored):
    guide = cluster["guide"]
    old_path = guide.path
    stored(old_path)
    guide.slug = "layers"
    guide.save()
    response = client.get(old_path)
    assert response.status_code == 301
    assert response["Location"] == guide.path


def test_a_manual_redirect_change_is_a_change_of_the_redirects(cluster):
    before = dependencies.current_sequence()
    Redirect.objects.create(old_path="/old-guide/", target=cluster["guide"])
    assert dependencies.state_since({"t:harness_cms_redirect"}, before) == dependencies.STALE
    assert dependencies.state_since({"t:faq_faq"}, before) == dependencies.FRESH


def test_deleting_an_item_shows_at_once(client, cluster, stored):
    extra = make_comparison(cluster["harness"], make_role("Data Engineer"))
    role_path = cluster["harness"].path
    assert "Data Engineer" in stored(role_path)
    extra.delete()
    assert "Data Engineer" not in text(client, role_path)


# ---- Invalidation: the clock -----------------------------------------------------------------


def test_a_scheduled_publish_time_ends_the_stored_pages(client, cluster, stored):
    now = timezone.now()
    make_role("Prompt Engineer", publish_at=now + timedelta(minutes=5))
    with time_machine.travel(now, tick=False) as traveller:
        assert "Prompt Engineer" not in stored("/")
        traveller.shift(timedelta(minutes=4, seconds=58))
        assert "Prompt Engineer" not in stored("/")
        traveller.shift(timedelta(seconds=2))
        assert "Prompt Engineer" in text(client, "/")


def test_a_scheduled_unpublish_time_ends_the_stored_pages(client, cluster, stored):
    faq = make_faq("Is this offer still open?", unpublish_at=timezone.now() + timedelta(hours=1))
    FAQPlacement.objects.create(faq=faq, item=cluster["comparison"], position=3)
    now = timezone.now()
    path = cluster["comparison"].path
    with time_machine.travel(now, tick=False) as traveller:
        assert "Is this offer still open?" in stored(path)
        traveller.shift(timedelta(hours=1))
        assert "Is this offer still open?" not in text(client, path)


def test_a_page_stored_before_a_schedule_changes_gets_a_later_last_modified(client, cluster):
    now = timezone.now()
    make_role("Prompt Engineer", publish_at=now + timedelta(minutes=5))
    with time_machine.travel(now, tick=False) as traveller:
        before = client.get("/")["Last-Modified"]
        traveller.shift(timedelta(minutes=6))
        response = client.get("/", headers={"if-modified-since": before})
    assert response.status_code == 200
    assert "Prompt Engineer" in response.content.decode()


# ---- Invalidation: writes that send no model signals ----------------------------------------


def test_a_bulk_status_change_shows_at_once(client, cluster, editor, stored, roomy_hub):
    drafts = [make_role(f"Draft role {i}", status=Status.DRAFT) for i in range(3)]
    stored("/")
    workflow.change_status(drafts, to=Status.PUBLISHED, user=editor, comment="bulk")
    body = text(client, "/")
    assert all(f"Draft role {i}" in body for i in range(3))


def test_an_import_shows_at_once(client, cluster, tmp_path, stored):
    path = cluster["comparison"].path
    stored(path)
    call_command("export_content", str(tmp_path), verbosity=0)
    file = tmp_path / "comparisons" / f"{cluster['comparison'].slug}.md"
    file.write_text(file.read_text().replace("Dimension 0", "Imported dimension"))
    call_command("import_content", str(tmp_path), verbosity=0)
    assert "Imported dimension" in text(client, path)


def test_a_change_in_another_process_reaches_this_one(client, cluster, stored):
    """Another process (an app server, a management command) only shares the generation."""
    path = cluster["comparison"].path
    stored(path)
    generation.new_generation()
    assert queries_for(client, path) > 0


@pytest.mark.django_db(transaction=True)
def test_a_change_is_recorded_once_when_it_commits():
    """Other connections read the old rows until the commit: a page they make meanwhile is
    numbered before the change, so the change (recorded once, at the commit) makes it stale."""
    from django.db import transaction

    role = make_role("ML Engineer")
    tag = dependencies.row_tag(type(role), role.pk)
    with transaction.atomic():
        role.title = "AI Engineer"
        role.save()
        role.save()
        during = dependencies.current_sequence()
        assert dependencies.state_since({tag}, during) == dependencies.FRESH
    assert dependencies.current_sequence() == during + 1  # once more at the commit
    assert dependencies.state_since({tag}, during) == dependencies.STALE


# ---- What the cache can hold (issue: `page=\d{1,6}` made a million variants of every address,
# old generations stayed for a day, a cache write failure failed a save) --------------------


def page_entries():
    """The stored pages in the cache, whatever its backend."""
    from django.core.cache import cache

    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):  # local memory
        return [key for key in cache._cache if ":harness:page:" in key]
    client = cache._cache.get_client(None, write=False)  # Redis
    return list(client.scan_iter(match="*harness:page:*"))


@pytest.mark.parametrize("query", ["page=2", "page=000123", "page=999999", "page="])
def test_a_page_number_in_the_query_string_is_not_stored(client, cluster, query):
    """No public page reads ?page= (the search page does, with its query, never stored)."""
    client.get(f"/faq/?{query}")
    assert queries_for(client, f"/faq/?{query}") > 0
    assert page_entries() == []


def test_a_zero_padded_page_number_is_not_an_address(client, cluster):
    topic = make_topic("Many")
    for n in range(51):
        make_faq(f"Question {n}?", topic=topic)
    assert client.get("/faq/page/2/").status_code == 200
    for path in ["/faq/page/02/", "/faq/page/0002/", "/faq/page/00/", "/faq/page/9999999999/"]:
        assert client.get(path).status_code == 404, path


def test_a_page_past_the_last_is_a_404_and_not_stored(client, cluster):
    for n in range(2, 40):
        assert client.get(f"/faq/page/{n}/").status_code == 404
    assert page_entries() == []


def test_each_address_has_one_entry_whatever_the_generations(client, cluster, stored):
    """A new generation replaces an address's entry instead of adding one beside it: what the
    cache holds is bounded by the site's addresses, not by how often it is edited."""
    paths = [cluster["comparison"].path, "/faq/", "/"]
    for _ in range(5):
        generation.new_generation()
        for path in paths:
            stored(path)
    assert len(page_entries()) == len(paths)


def test_the_lists_kept_for_now_have_one_entry_each_whatever_the_generations(client, cluster):
    from django.core.cache import cache

    for _ in range(5):
        generation.new_generation()
        text(client, "/faq/")
        text(client, "/tags/")
    if isinstance(getattr(cache, "_cache", None), dict):  # local memory
        keys = [key for key in cache._cache if "faq-topic-counts" in key]
    else:
        keys = list(cache._cache.get_client(None).scan_iter(match="*faq-topic-counts*"))
    assert len(keys) == 1


class RefusingWritesCache:
    """A cache that answers reads and refuses every write: Redis at its memory limit with
    `noeviction`, or a read-only replica."""

    def __init__(self, cache):
        self.cache = cache

    def __getattr__(self, name):
        if name in {"set", "add", "incr", "decr", "set_many", "touch"}:
            return self._refuse
        return getattr(self.cache, name)

    @staticmethod
    def _refuse(*args, **kwargs):
        raise ConnectionError("OOM command not allowed when used memory > 'maxmemory'")


def refuse_cache_writes(monkeypatch):
    from django.core import cache as cache_module

    from harness_cms.page_cache import middleware

    refusing = RefusingWritesCache(cache_module.cache)
    for module in (generation, middleware):
        monkeypatch.setattr(module, "cache", refusing)


def test_a_save_goes_through_when_the_cache_refuses_writes(
    cluster, editor, client, monkeypatch, stored
):
    """The editor's save is not a 500, and visitors never get the page from before it."""
    from django.urls import reverse

    from tests.admin_forms import submit

    role = cluster["harness"]
    role.lead = "The old lead."
    role.save()
    assert "The old lead." in stored(role.path)
    refuse_cache_writes(monkeypatch)
    editor_client = Client()
    editor_client.force_login(editor)
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(editor_client, url, {"lead": "Runs the harness now."}, button="_publish")
    assert response.status_code == 302
    assert "Runs the harness now." in text(client, role.path)
    monkeypatch.undo()
    assert "Runs the harness now." in text(client, role.path)
