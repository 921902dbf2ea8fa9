"""Roles and comparisons: addresses, constraints, and what follows a slug change."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comparisons.models import Comparison, Role
from harness_cms.core.models import ContentItem
from tests.factories import make_comparison, make_page, make_role

pytestmark = pytest.mark.django_db


def test_role_address_comes_from_its_slug():
    role = make_role("Harness Engineer")
    assert role.get_absolute_url() == "/roles/harness-engineer/"
    assert ContentItem.objects.get(pk=role.pk).path == "/roles/harness-engineer/"


def test_comparison_slug_and_address_come_from_its_roles():
    comparison = make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"))
    assert comparison.slug == "harness-engineer-vs-ai-engineer"
    assert comparison.get_absolute_url() == "/compare/harness-engineer-vs-ai-engineer/"


def test_a_role_cannot_be_compared_with_itself_in_the_database():
    role = make_role()
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(role_a=role, role_b=role, title="Same vs same")


def test_a_role_compared_with_itself_is_a_validation_error():
    role = make_role()
    comparison = Comparison(role_a=role, role_b=role, title="Same vs same")
    with pytest.raises(ValidationError, match="cannot be compared with itself"):
        comparison.full_clean()


def test_the_same_pair_cannot_be_compared_twice_in_either_order():
    a, b = make_role(), make_role()
    make_comparison(a, b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comparison.objects.create(role_a=b, role_b=a, title="Reversed")


def test_a_reversed_duplicate_pair_is_a_validation_error():
    a, b = make_role(), make_role()
    make_comparison(a, b)
    with pytest.raises(ValidationError, match="already compared"):
        Comparison(role_a=b, role_b=a, title="Reversed").full_clean()


def test_role_slugs_are_unique_in_the_database():
    make_role("Harness Engineer")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_role("Another", slug="harness-engineer")


def test_a_duplicate_role_slug_is_a_validation_error_on_the_slug():
    make_role("Harness Engineer")
    role = Role(title="Copy", slug="harness-engineer")
    with pytest.raises(ValidationError) as error:
        role.full_clean()
    assert "slug" in error.value.message_dict


def test_renaming_a_role_slug_moves_its_comparisons_and_pages():
    role = make_role("Harness Engineer")
    comparison = make_comparison(role, make_role("AI Engineer"))
    page = make_page("Architecture", role=role)
    role.slug = "harness-engineering-lead"
    role.save()
    comparison.refresh_from_db()
    page.refresh_from_db()
    assert comparison.path == "/compare/harness-engineering-lead-vs-ai-engineer/"
    assert page.path == "/roles/harness-engineering-lead/architecture/"


def test_a_role_in_use_by_a_comparison_cannot_be_deleted():
    comparison = make_comparison()
    with pytest.raises(IntegrityError), transaction.atomic():
        comparison.role_a.delete()


def test_markdown_fields_are_rendered_on_save():
    comparison = make_comparison(verdict="**Pick both.**", lead="A *lead*.")
    assert comparison.verdict_html == "<p><strong>Pick both.</strong></p>"
    assert comparison.lead_html == "<p>A <em>lead</em>.</p>"
    assert "Pick both." in comparison.search_text


def test_meta_title_and_description_fall_back_to_title_and_lead():
    role = make_role("Harness Engineer", lead="Owns the runtime around the model. " * 10)
    assert role.meta_title == "Harness Engineer"
    assert len(role.meta_description) <= 160
    role.seo_title, role.seo_description = "Custom title", "Custom description"
    assert (role.meta_title, role.meta_description) == ("Custom title", "Custom description")


def test_specific_returns_the_concrete_item():
    role = make_role()
    assert ContentItem.objects.get(pk=role.pk).specific() == role
