"""Cluster pages, the home hub and related-link cards."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from harness_cms.core.models import RelatedLink
from harness_cms.core.visibility import Status
from pages.models import Page
from tests.factories import make_link, make_page, make_role

pytestmark = pytest.mark.django_db


def test_cluster_page_address_nests_under_its_role():
    page = make_page("Architecture", role=make_role("Harness Engineer"))
    assert page.get_absolute_url() == "/roles/harness-engineer/architecture/"


def test_stand_alone_guide_and_home_addresses():
    assert make_page("Reading list").path == "/guides/reading-list/"
    assert make_page("Home", page_kind="hub", is_home=True).path == "/"


def test_two_pages_of_one_role_cannot_share_a_slug():
    role = make_role()
    make_page("Architecture", role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_page("Architecture", role=role)
    duplicate = Page(title="Architecture", slug="architecture", role=role)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "slug" in error.value.message_dict


def test_pages_of_different_roles_may_share_a_slug():
    first = make_page("Architecture", role=make_role())
    second = make_page("Architecture", role=make_role())
    assert first.path != second.path


def test_only_one_home_page():
    make_page("Home", page_kind="hub", is_home=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_page("Other home", page_kind="hub", is_home=True)


def test_the_home_page_must_be_a_hub_without_a_role():
    page = Page(title="Home", slug="home", page_kind="guide", is_home=True)
    with pytest.raises(ValidationError):
        page.full_clean()


def test_visible_cards_skip_draft_and_missing_targets():
    source = make_page("Source")
    live = make_link(source, make_page("Live"))
    make_link(source, make_page("Draft", status=Status.DRAFT))
    gone = make_link(source, make_page("Deleted soon"))
    gone.target.delete()
    external = make_link(source, external_url="https://example.org/", title="Elsewhere")
    assert set(RelatedLink.objects.visible()) == {live, external}


def test_a_deleted_target_leaves_the_card_without_a_destination():
    source, target = make_page("Source"), make_page("Target")
    card = make_link(source, target)
    target.delete()
    card.refresh_from_db()
    assert card.target is None and card.url == ""


def test_a_card_needs_exactly_one_destination():
    source = make_page("Source")
    with pytest.raises(ValidationError):
        RelatedLink(source=source).full_clean()
    both = RelatedLink(source=source, target=make_page("T"), external_url="https://e.org/")
    with pytest.raises(ValidationError):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()


def test_a_card_cannot_point_to_its_own_page():
    source = make_page("Source")
    with pytest.raises(ValidationError):
        RelatedLink(source=source, target=source.contentitem_ptr).full_clean()


def test_card_title_defaults_to_the_target_title():
    card = make_link(make_page("Source"), make_page("Target page"))
    assert card.display_title == "Target page"
    assert card.url == "/guides/target-page/"
