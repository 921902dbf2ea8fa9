"""Shared fixtures for the security tests, and the summary lines they print at the end."""

import pytest
from django.contrib.auth.models import User

from tests.demo import load_demo

SUMMARY = []


def report(line):
    """Print ``line`` in the run's closing summary (pytest's terminal summary)."""
    SUMMARY.append(line)


@pytest.fixture
def demo(db):
    """The demo cluster, as `make run` serves it, plus a stand-alone guide (a page kind the
    demo has none of)."""
    from tests.factories import make_page

    load_demo()
    guide = make_page("Reviewing a harness", page_kind="guide", lead="A guide of no role.")
    guide.tags.add("reviews")


def published_paths():
    """Every public item's address: crawl seeds for items nothing links to."""
    from harness_cms.core.models import ContentItem

    return list(ContentItem.objects.published().values_list("path", flat=True))


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client
