"""The warmer (decision 0111): what a publish changed is made again in the background; the
site is the same with no worker, and the warming is bounded and deduplicated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from harness_cms.core.models import SiteSettings
from harness_cms.core.visibility import Status
from harness_cms.editorial import services as workflow
from harness_cms.page_cache import tasks
from tests.factories import make_comparison, make_faq, make_page, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_STALE_SECONDS = 30
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def site():
    SiteSettings.load()
    make_page("Hub", page_kind="hub", is_home=True)
    comparison = make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"))
    faq = make_faq("Does one replace the other?", answer="No.", on=[comparison])
    return {"comparison": comparison, "faq": faq}


def answer(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return len(captured), response.content.decode()


def test_the_warmer_makes_a_changed_page_again(client, site):
    path = site["comparison"].path
    client.get(path)
    faq = site["faq"]
    faq.answer = "They complement each other."
    faq.save()
    assert tasks.warm_pages.call([path]) == 1
    # The next reader gets the new page from the store: no stale answer, no render.
    count, body = answer(client, path)
    assert count == 0
    assert "They complement each other." in body


def test_a_publish_enqueues_its_pages_once_and_the_site_works_with_no_worker(
    client, site, editor, django_capture_on_commit_callbacks
):
    role = make_role("Prompt Engineer", status=Status.DRAFT)
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status([role], to=Status.PUBLISHED, user=editor, comment="go")
    waiting = DBTaskResult.objects.filter(task_path="harness_cms.page_cache.tasks.warm_pages")
    assert waiting.count() == 1  # queued; no worker runs in the tests
    assert set(waiting.get().args_kwargs["args"][0]) == {role.path, "/"}
    # With no worker, readers get the new role on the next request all the same.
    client.get("/")
    assert "Prompt Engineer" in client.get("/").content.decode()
    assert client.get(role.path).status_code == 200
    # The same pages again while that task waits: not enqueued twice.
    tasks.enqueue([role.path, "/"])
    assert waiting.count() == 1


def test_warming_is_bounded(site):
    faqs = [make_faq(f"Question {n}?", on=[make_comparison()]) for n in range(tasks.MAX_PAGES + 5)]
    paths = tasks.affected_paths(faqs)
    assert len(paths) == tasks.MAX_PAGES
    assert len(set(paths)) == len(paths)


def test_nothing_is_enqueued_with_the_page_cache_off(
    site, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = False
    with django_capture_on_commit_callbacks(execute=True):
        tasks.warm_later([site["comparison"]])
    assert not DBTaskResult.objects.exists()
