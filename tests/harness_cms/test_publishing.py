"""published() is the one visibility rule, and it reads the clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Comparison, Role
from harness_cms.publishing import Status
from pages.models import Page
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db


def visible_roles():
    return set(Role.objects.published().values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("status", "visible"),
    [
        (Status.DRAFT, False),
        (Status.REVIEW, False),
        (Status.ARCHIVED, False),
        (Status.PUBLISHED, True),
    ],
)
def test_only_published_status_is_visible(status, visible):
    make_role("Harness Engineer", status=status)
    assert ("harness-engineer" in visible_roles()) is visible


def test_publishing_without_a_time_sets_it_to_now():
    before = timezone.now()
    role = make_role(status=Status.PUBLISHED)
    assert before <= role.publish_at <= timezone.now()


def test_a_draft_keeps_an_empty_publish_time():
    assert make_role(status=Status.DRAFT).publish_at is None


def test_a_future_publish_time_hides_the_item_until_it_comes():
    later = timezone.now() + timedelta(hours=1)
    role = make_role("Later", publish_at=later)
    assert "later" not in visible_roles()
    assert role in Role.objects.published(now=later + timedelta(seconds=1))
    assert not role.is_published


def test_an_unpublish_time_that_has_passed_hides_the_item():
    now = timezone.now()
    make_role("Gone", publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1))
    make_role("Still", publish_at=now - timedelta(days=2), unpublish_at=now + timedelta(days=1))
    assert visible_roles() == {"still"}


def test_is_published_agrees_with_the_queryset():
    now = timezone.now()
    shown = make_role("Shown")
    hidden = make_role(
        "Hidden", publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(1)
    )
    assert shown.is_published and not hidden.is_published


def test_a_comparison_is_hidden_while_one_of_its_roles_is_a_draft():
    draft_role = make_role("Draft role", status=Status.DRAFT)
    comparison = make_comparison(make_role("Live role"), draft_role)
    assert comparison not in Comparison.objects.published()
    draft_role.status = Status.PUBLISHED
    draft_role.save()
    assert comparison in Comparison.objects.published()


def test_a_cluster_page_is_hidden_while_its_role_is_a_draft():
    page = make_page("Architecture", role=make_role(status=Status.DRAFT))
    assert page not in Page.objects.published()


def test_a_stand_alone_guide_needs_no_role():
    page = make_page("Reading list")
    assert page in Page.objects.published()


def test_the_content_item_rule_agrees_with_each_kinds_own_rule():
    """ContentItem.objects.published() and the Role/Comparison/Page querysets say the same."""
    from harness_cms.models import ContentItem

    live, draft = make_role("Live"), make_role("Draft", status=Status.DRAFT)
    other = make_role("Other")
    make_comparison(live, other)
    make_comparison(live, draft)
    make_page("Own page", role=live)
    make_page("Orphaned by a draft role", role=draft)
    make_page("Stand-alone guide")
    make_page("Draft guide", status=Status.DRAFT)
    by_kind = {
        *Role.objects.published().values_list("pk", flat=True),
        *Comparison.objects.published().values_list("pk", flat=True),
        *Page.objects.published().values_list("pk", flat=True),
    }
    assert set(ContentItem.objects.published().values_list("pk", flat=True)) == by_kind
    assert len(by_kind) == 5  # two roles, one comparison, two pages


def test_a_card_to_a_comparison_of_a_draft_role_is_not_visible():
    from pages.models import RelatedLink
    from tests.factories import make_link

    hidden = make_comparison(make_role("Live"), make_role("Draft", status=Status.DRAFT))
    source = make_page("Source")
    make_link(source, hidden)
    assert not RelatedLink.objects.visible().exists()
