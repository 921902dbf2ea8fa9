"""Invalidate what changed (decision 0111): each stored page carries the rows and lists it
showed; a change refreshes every page that shows it and leaves the others stored; a changed
page is answered once more while its replacement is made; what goes offline never is."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import ComparisonRow
from faq.models import FAQ
from harness_cms.core.models import SiteSettings
from harness_cms.core.visibility import Status
from harness_cms.page_cache import middleware
from tests.factories import make_comparison, make_faq, make_link, make_page, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_STALE_SECONDS = 0


@pytest.fixture
def site():
    """Two comparisons with nothing in common, a guide linked from the first, FAQs on each."""
    SiteSettings.load()
    make_page("Hub", page_kind="hub", is_home=True)
    harness, ai = make_role("Harness Engineer"), make_role("AI Engineer")
    data, ops = make_role("Data Engineer"), make_role("Ops Engineer")
    first = make_comparison(harness, ai, rows=2)
    second = make_comparison(data, ops, rows=2)
    guide = make_page("Architecture", role=harness)
    make_link(first, guide, blurb="Context and memory layers.")
    faq_first = make_faq("Does one replace the other?", answer="No, never.", on=[first])
    faq_second = make_faq("Who runs the pipelines?", answer="Data engineers.", on=[second])
    return {
        "harness": harness,
        "data": data,
        "first": first,
        "second": second,
        "guide": guide,
        "faq_first": faq_first,
        "faq_second": faq_second,
    }


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured), response.content.decode()


def store(client, *paths):
    for path in paths:
        client.get(path)
        assert queries(client, path)[0] == 0, f"{path} was not stored"


def test_editing_an_faq_answer_refreshes_the_pages_that_show_it_only(client, site):
    first, second = site["first"].path, site["second"].path
    store(client, first, second, "/faq/")
    faq = site["faq_first"]
    faq.answer = "They complement each other."
    faq.save()
    count, body = queries(client, first)
    assert count > 0 and "They complement each other." in body
    assert "They complement each other." in queries(client, "/faq/")[1]
    assert queries(client, second)[0] == 0  # unrelated: still answered from the store


def test_editing_a_row_refreshes_its_comparison_only(client, site):
    first, second = site["first"].path, site["second"].path
    store(client, first, second)
    row = ComparisonRow.objects.filter(comparison=site["first"]).first()
    row.dimension = "Time horizon"
    row.save()
    assert "Time horizon" in queries(client, first)[1]
    assert queries(client, second)[0] == 0


def test_renaming_a_role_refreshes_every_page_that_names_it(client, site):
    role = site["harness"]
    pages = [site["first"].path, role.path, site["guide"].path, "/"]
    store(client, *pages, site["second"].path)
    role.summary = "Owns the runtime, renamed."
    role.title = "Harness Engineers"
    role.save()
    for path in pages:
        assert "Harness Engineers" in queries(client, path)[1], path


def test_a_target_retitled_refreshes_the_cards_that_point_at_it(client, site):
    """Titles order lists: a new title refreshes every page that lists items (a list it was
    not on may now hold it), the card that points at it among them."""
    store(client, site["first"].path, site["second"].path)
    guide = site["guide"]
    guide.title = "Architecture of a harness"
    guide.save()
    assert "Architecture of a harness" in queries(client, site["first"].path)[1]


def test_a_guide_rewritten_refreshes_its_page_only(client, site):
    guide = site["guide"]
    store(client, guide.path, site["first"].path, site["second"].path)
    guide.lead = "Context, session and memory layers, drawn."
    guide.save()
    assert "memory layers, drawn." in queries(client, guide.path)[1]
    assert queries(client, site["second"].path)[0] == 0


def test_a_new_comparison_shows_on_the_lists_that_hold_its_kind(client, site):
    role = site["harness"]
    store(client, role.path, "/")
    make_comparison(role, make_role("Prompt Engineer"))
    assert "Prompt Engineer" in queries(client, role.path)[1]


def test_unpublishing_an_faq_drops_it_everywhere_at_once(client, site, settings):
    settings.PAGE_CACHE_STALE_SECONDS = 30  # even where changed pages may be answered stale
    first = site["first"].path
    store(client, first, "/faq/", site["second"].path)
    faq = FAQ.objects.get(pk=site["faq_first"].pk)
    faq.status = Status.ARCHIVED
    faq.save()
    assert "Does one replace the other?" not in queries(client, first)[1]
    assert "Does one replace the other?" not in queries(client, "/faq/")[1]


def test_an_unpublished_page_is_never_answered(client, site, settings):
    settings.PAGE_CACHE_STALE_SECONDS = 30
    guide = site["guide"]
    store(client, guide.path, site["first"].path)
    guide.status = Status.DRAFT
    guide.save()
    assert client.get(guide.path).status_code == 404
    # The card that pointed at it goes too, on the very next answer.
    assert guide.path not in queries(client, site["first"].path)[1]


def test_a_deleted_item_is_never_answered(client, site, settings):
    settings.PAGE_CACHE_STALE_SECONDS = 30
    second = site["second"]
    path = second.path
    store(client, path, site["data"].path)
    second.delete()
    assert client.get(path).status_code == 404
    assert path not in queries(client, site["data"].path)[1]


def test_a_changed_page_is_answered_once_more_then_fresh(client, site, settings):
    """The first request after a change gets the stored page at once, and its page is made
    afresh after it is answered; the next request gets the new page from the store."""
    settings.PAGE_CACHE_STALE_SECONDS = 30
    first = site["first"].path
    store(client, first, site["second"].path)
    faq = site["faq_first"]
    faq.answer = "They complement each other."
    faq.save()
    stale = client.get(first).content.decode()
    assert "No, never." in stale and "They complement each other." not in stale
    count, fresh = queries(client, first)
    assert count == 0  # made after the stale answer went out, and stored
    assert "They complement each other." in fresh
    assert queries(client, site["second"].path)[0] == 0


def test_others_get_the_old_page_while_one_makes_the_new_one(client, site, settings):
    """While another request makes the replacement (it holds the page's lock), readers get the
    old page without waiting, for a bounded time; past it they get a fresh page."""
    settings.PAGE_CACHE_STALE_SECONDS = 30
    first = site["first"].path
    store(client, first)
    address = middleware._address(client.get(first).wsgi_request)
    faq = site["faq_first"]
    faq.answer = "They complement each other."
    faq.save()
    cache.add(middleware._lock_key(address), 1, timeout=30)
    count, body = queries(client, first)
    assert count == 0 and "No, never." in body  # the old page at once, nothing rendered
    key = middleware._page_key(address)
    stored = cache.get(key)
    cache.set(key, (*stored[:6], time.time() - 31), 60)  # stale for longer than the bound
    count, body = queries(client, first)
    assert count > 0 and "They complement each other." in body


@pytest.mark.parametrize("shared", [True, False], ids=["shared cache", "file log"])
def test_a_soft_change_recorded_as_a_hard_one_lands_never_unhides_a_page(monkeypatch, shared):
    """Two saves at the same moment: an unpublish (hard) and an unrelated edit (soft) of the
    same list. Whatever order their writes interleave in, a page stored before them is gone."""
    from django.core.cache import cache

    from harness_cms.core import dependencies

    monkeypatch.setattr(dependencies, "_shared_cache", lambda: shared)
    tag = "t:harness_cms_contentitem"
    before = dependencies.current_sequence()
    if shared:
        set_many = cache.set_many
        landed = []

        def hard_change_lands_first(values, *args, **kwargs):
            # The soft change has its number; the hard one is recorded before it writes.
            if not landed:
                landed.append(True)
                dependencies.record_change({tag}, hard=True)
            return set_many(values, *args, **kwargs)

        monkeypatch.setattr(cache, "set_many", hard_change_lands_first)
    else:
        dependencies.record_change({tag}, hard=True)
    dependencies.record_change({tag})
    assert dependencies.state_since({tag}, before) == dependencies.GONE


def test_a_page_linking_by_reference_follows_its_target_out_of_the_store(client, site):
    """A link by reference is given its address when the page is made: a stored page that
    shows one is made again when the target moves or goes offline (decision 0135)."""
    guide = site["guide"]
    source = make_page("Reading list", body=f"Read [the architecture](item:{guide.pk}).")
    store(client, source.path, site["second"].path)
    guide.slug = "harness-architecture"
    guide.save()
    count, body = queries(client, source.path)
    assert count > 0 and 'href="/roles/harness-engineer/harness-architecture/"' in body
    store(client, source.path)
    guide.status = Status.DRAFT
    guide.save()
    body = queries(client, source.path)[1]
    assert "harness-architecture" not in body and "Read the architecture." in body
