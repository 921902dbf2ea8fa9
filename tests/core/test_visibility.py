"""published() is the one visibility rule, and it reads the clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comparisons.models import Comparison, Role
from harness_cms.core.visibility import Status
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
    from harness_cms.core.models import ContentItem

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
    from harness_cms.core.models import RelatedLink
    from tests.factories import make_link

    hidden = make_comparison(make_role("Live"), make_role("Draft", status=Status.DRAFT))
    source = make_page("Source")
    make_link(source, hidden)
    assert not RelatedLink.objects.visible().exists()


# --- The stored public window (live_from / live_until) ---------------------------------------


def full_rule_ids(now):
    """Public item ids by the rule written out in full, across the relations: the item, and
    the roles a comparison or cluster page depends on, are each published now."""
    from django.db.models import Q

    from harness_cms.core.models import ContentItem
    from harness_cms.core.visibility import published_q

    rule = published_q(now=now) & (
        Q(kind="role")
        | Q(kind="comparison")
        & published_q("as_comparison__role_a__", now=now)
        & published_q("as_comparison__role_b__", now=now)
        | Q(kind="page") & (Q(as_page__role__isnull=True) | published_q("as_page__role__", now=now))
    )
    return set(ContentItem.objects.filter(rule).values_list("pk", flat=True))


def stored_rule_ids(now):
    from harness_cms.core.models import ContentItem

    return set(ContentItem.objects.published(now=now).values_list("pk", flat=True))


def test_the_stored_window_agrees_with_the_full_rule_at_every_moment():
    """Roles, comparisons and pages with every mix of status and schedule, checked at times
    before, inside and after each window, and again after the roles' schedules change."""
    import random

    rng = random.Random(7)
    now = timezone.now()
    hours = [timedelta(hours=h) for h in (-30, -10, -1, 1, 10, 30)]

    def schedule():
        status = rng.choice([Status.PUBLISHED] * 3 + [Status.DRAFT, Status.ARCHIVED])
        publish_at = now + rng.choice(hours)
        unpublish_at = rng.choice([None, publish_at + timedelta(hours=rng.choice([5, 25, 50]))])
        return {"status": status, "publish_at": publish_at, "unpublish_at": unpublish_at}

    roles = [make_role(f"Role {n}", **schedule()) for n in range(6)]
    for n, (a, b) in enumerate(zip(roles, roles[1:] + roles[:1], strict=True)):
        make_comparison(a, b, **schedule())
        make_page(f"Page {n}", role=a, **schedule())
    make_page("Guide", **schedule())
    moments = [now + hours for hours in hours] + [now + timedelta(hours=h) for h in (0, 45, 80)]
    for moment in moments:
        assert stored_rule_ids(moment) == full_rule_ids(moment), moment
    for role in roles[:3]:  # a role's new schedule reaches its comparisons and pages
        for name, value in schedule().items():
            setattr(role, name, value)
        role.save()
    for moment in moments:
        assert stored_rule_ids(moment) == full_rule_ids(moment), moment


def test_a_comparison_goes_live_when_its_later_role_does_and_ends_with_the_first_to_end():
    now = timezone.now()
    early = make_role("Early", publish_at=now - timedelta(days=3), unpublish_at=now + timedelta(2))
    late = make_role("Late", publish_at=now + timedelta(days=1))
    comparison = make_comparison(early, late, publish_at=now - timedelta(days=5))
    assert (comparison.live_from, comparison.live_until) == (late.publish_at, early.unpublish_at)
    assert comparison not in Comparison.objects.published()
    assert comparison in Comparison.objects.published(now=now + timedelta(days=1, hours=1))
    assert comparison not in Comparison.objects.published(now=now + timedelta(days=2, hours=1))


def test_archiving_a_role_hides_its_comparisons_and_cluster_pages_at_once():
    role = make_role("Harness Engineer")
    comparison = make_comparison(role, make_role("AI Engineer"))
    page = make_page("Architecture", role=role)
    role.status = Status.ARCHIVED
    role.save()
    assert comparison not in Comparison.objects.published()
    assert page not in Page.objects.published()


def test_refresh_live_windows_mends_windows_written_around_save():
    """Rows written without save() (an older export, a bulk insert) get their window back."""
    from harness_cms.core.models import ContentItem, refresh_live_windows

    role = make_role("Harness Engineer")
    comparison = make_comparison(role, make_role("AI Engineer"))
    ContentItem.objects.update(live_from=None, live_until=None)
    assert not ContentItem.objects.published().exists()
    assert refresh_live_windows() == 3
    assert refresh_live_windows() == 0
    assert comparison in Comparison.objects.published()
