"""Editors work through the real admin forms; FAQ staff reach FAQs and nothing else."""

import pytest
from django.urls import reverse

from comparisons.models import Comparison, ComparisonRow, Role, SharedPoint
from faq.models import FAQ, FAQPlacement
from harness_cms.core.models import BODY_MAX_LENGTH, RelatedLink
from pages.models import Page
from tests.admin_forms import form_fields, submit
from tests.factories import make_comparison, make_faq, make_page, make_role, make_topic

pytestmark = pytest.mark.django_db


def errors_of(response):
    form = response.context["adminform"].form
    return form.errors


def test_editor_adds_a_role(editor_client, editor):
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_add"),
        {
            "title": "Harness Engineer",
            "slug": "harness-engineer",
            "status": "published",
            "body": "## Owns\n\nThe harness.",
            "tags": "agents, memory",
        },
    )
    assert response.status_code == 302, errors_of(response)
    role = Role.objects.get(slug="harness-engineer")
    assert role.is_published and role.updated_by == editor
    assert '<h2 id="owns">' in role.body_html
    assert set(role.tags.names()) == {"agents", "memory"}


def test_editor_adds_a_comparison_with_rows_points_faqs_and_cards(editor_client):
    a, b = make_role("Harness Engineer"), make_role("AI Engineer")
    target = make_page("Architecture", role=a)
    faq = make_faq("Does one replace the other?")
    response = submit(
        editor_client,
        reverse("admin:comparisons_comparison_add"),
        {
            "role_a": a.pk,
            "role_b": b.pk,
            "title": "Harness Engineer vs AI Engineer",
            "status": "published",
        },
        inlines={
            "shared_points": [{"text": "Both touch evaluation.", "position": 0}],
            "rows": [
                {
                    "dimension": "Focus",
                    "role_a_text": "Time",
                    "role_b_text": "Features",
                    "position": 0,
                }
            ],
            "faq_placements": [{"faq": faq.pk, "position": 0}],
            "links": [
                {"section": "related", "target": target.pk, "blurb": "Layers.", "position": 0}
            ],
        },
    )
    assert response.status_code == 302, errors_of(response)
    comparison = Comparison.objects.get()
    assert comparison.path == "/compare/harness-engineer-vs-ai-engineer/"
    assert SharedPoint.objects.get().comparison == comparison
    assert ComparisonRow.objects.get().dimension == "Focus"
    assert FAQPlacement.objects.get().item_id == comparison.pk
    assert RelatedLink.objects.get().target_id == target.pk


def test_comparing_a_role_with_itself_is_a_form_error(editor_client):
    role = make_role()
    response = submit(
        editor_client,
        reverse("admin:comparisons_comparison_add"),
        {"role_a": role.pk, "role_b": role.pk, "title": "Same vs same"},
        inlines={"rows": [{"dimension": "Focus", "role_a_text": "x", "role_b_text": "y"}]},
    )
    assert response.status_code == 200
    assert "cannot be compared with itself" in str(errors_of(response))
    assert not Comparison.objects.exists() and not ComparisonRow.objects.exists()


def test_a_duplicate_pair_in_reverse_order_is_a_form_error(editor_client):
    a, b = make_role(), make_role()
    make_comparison(a, b)
    response = submit(
        editor_client,
        reverse("admin:comparisons_comparison_add"),
        {"role_a": b.pk, "role_b": a.pk, "title": "Reversed"},
    )
    assert response.status_code == 200
    assert "already compared" in str(errors_of(response))
    assert Comparison.objects.count() == 1


def test_a_duplicate_role_slug_is_a_form_error(editor_client):
    make_role("Harness Engineer")
    response = submit(
        editor_client,
        reverse("admin:comparisons_role_add"),
        {"title": "Harness Engineer 2", "slug": "harness-engineer"},
    )
    assert response.status_code == 200
    assert "slug" in errors_of(response)
    assert Role.objects.count() == 1


def test_a_duplicate_page_slug_in_one_cluster_is_a_form_error(editor_client):
    role = make_role()
    make_page("Architecture", role=role)
    response = submit(
        editor_client,
        reverse("admin:pages_page_add"),
        {"title": "Architecture", "slug": "architecture", "role": role.pk},
    )
    assert response.status_code == 200
    assert "slug" in errors_of(response)


def test_an_empty_required_field_is_a_form_error(editor_client):
    response = submit(editor_client, reverse("admin:comparisons_role_add"), {"title": ""})
    assert response.status_code == 200
    assert "title" in errors_of(response)
    assert not Role.objects.exists()


def test_a_ten_megabyte_body_is_a_form_error_and_nothing_is_saved(editor_client):
    role = make_role("Harness Engineer", body="Original.")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(editor_client, url, {"body": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 200
    assert f"at most {BODY_MAX_LENGTH:,}".replace(",", "") in str(
        errors_of(response)["body"]
    ).replace(",", "")
    role.refresh_from_db()
    assert role.body == "Original."


def test_a_bad_inline_row_saves_nothing_of_the_item(editor_client):
    """An error in one card keeps the whole change unsaved."""
    role = make_role("Harness Engineer", lead="Old lead.")
    url = reverse("admin:comparisons_role_change", args=[role.pk])
    response = submit(
        editor_client,
        url,
        {"lead": "New lead."},
        inlines={"links": [{"section": "related", "blurb": "No destination", "position": 0}]},
    )
    assert response.status_code == 200
    role.refresh_from_db()
    assert role.lead == "Old lead." and not RelatedLink.objects.exists()


def test_change_form_offers_view_on_site(editor_client):
    role = make_role("Harness Engineer")
    response = editor_client.get(reverse("admin:comparisons_role_change", args=[role.pk]))
    assert b"View on site" in response.content


@pytest.mark.parametrize(
    "name",
    [
        "admin:comparisons_role_changelist",
        "admin:comparisons_comparison_changelist",
        "admin:pages_page_changelist",
        "admin:pages_relatedlink_changelist",
        "admin:faq_faq_changelist",
        "admin:faq_topic_changelist",
        "admin:harness_cms_contentitem_changelist",
        "admin:taggit_tag_changelist",
    ],
)
def test_editor_reaches_every_content_list(editor_client, name):
    make_comparison()
    response = editor_client.get(reverse(name), {"q": "Role"})
    assert response.status_code == 200


def test_editor_cannot_manage_users(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_faq_staff_adds_an_faq_and_places_it(faq_staff_client):
    role = make_role("Harness Engineer")
    topic = make_topic("The role")
    response = submit(
        faq_staff_client,
        reverse("admin:faq_faq_add"),
        {
            "question": "What does a Harness Engineer own?",
            "slug": "what-it-owns",
            "answer": "The **harness**.",
            "topic": topic.pk,
        },
        inlines={"placements": [{"item": role.pk, "position": 0}]},
    )
    assert response.status_code == 302, errors_of(response)
    faq = FAQ.objects.get()
    assert faq.answer_html == "<p>The <strong>harness</strong>.</p>"
    assert list(faq.placements.values_list("item", flat=True)) == [role.pk]


def test_faq_staff_can_search_pages_to_place_an_faq(faq_staff_client):
    make_role("Harness Engineer")
    response = faq_staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "faq", "model_name": "faqplacement", "field_name": "item", "term": "Harn"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Role: Harness Engineer"]


def test_faq_staff_edits_an_existing_faq(faq_staff_client):
    """FAQ staff edit drafts; published entries are the editors' (tests/editorial)."""
    faq = make_faq("Old question?", status="draft")
    url = reverse("admin:faq_faq_change", args=[faq.pk])
    response = submit(faq_staff_client, url, {"question": "New question?"})
    assert response.status_code == 302, errors_of(response)
    faq.refresh_from_db()
    assert faq.question == "New question?"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("admin:comparisons_role_changelist", []),
        ("admin:comparisons_role_add", []),
        ("admin:comparisons_comparison_changelist", []),
        ("admin:pages_page_changelist", []),
        ("admin:pages_relatedlink_changelist", []),
        ("admin:faq_topic_changelist", []),
        ("admin:harness_cms_contentitem_changelist", []),
        ("admin:harness_cms_sitesettings_changelist", []),
        ("admin:taggit_tag_changelist", []),
        ("admin:auth_user_changelist", []),
        ("admin:auth_group_changelist", []),
    ],
)
def test_faq_staff_is_refused_every_other_admin_page(faq_staff_client, name, args):
    assert faq_staff_client.get(reverse(name, args=args)).status_code == 403


def test_faq_staff_cannot_open_a_role_or_delete_an_faq(faq_staff_client):
    role = make_role()
    faq = make_faq()
    assert (
        faq_staff_client.get(reverse("admin:comparisons_role_change", args=[role.pk])).status_code
        == 403
    )
    assert (
        faq_staff_client.get(
            reverse("admin:harness_cms_contentitem_change", args=[role.pk])
        ).status_code
        == 403
    )
    assert faq_staff_client.get(reverse("admin:faq_faq_delete", args=[faq.pk])).status_code == 403


def test_faq_staff_admin_index_lists_only_the_faq_app(faq_staff_client):
    response = faq_staff_client.get(reverse("admin:index"))
    apps = [app["app_label"] for app in response.context["app_list"]]
    models = [m["object_name"] for app in response.context["app_list"] for m in app["models"]]
    assert apps == ["faq"] and models == ["FAQ"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("admin:comparisons_role_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_editor_form_shows_seo_fields(editor_client):
    page = make_page("Workflow")
    fields = form_fields(editor_client.get(reverse("admin:pages_page_change", args=[page.pk])))
    assert {"seo_title", "seo_description", "target_keyword"} <= fields.keys()
    assert Page.objects.count() == 1


def test_no_help_text_contains_markup():
    """The admin prints help texts unescaped: a "<title>" in one swallowed the rest of the form."""
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.app_label in {"harness_cms", "comparisons", "pages", "faq"}:
            for field in model._meta.get_fields():
                assert "<" not in str(getattr(field, "help_text", "")), (model, field.name)


def test_groups_hold_exactly_the_permissions_the_code_lists(db):
    """What the migrations made and what harness_cms.editorial.groups says agree; a change to either
    without the other fails here."""
    from django.contrib.auth.models import Group

    from harness_cms.editorial.groups import GROUPS

    for name, wanted in GROUPS.items():
        held = sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        )
        assert held == sorted(wanted), name


def test_a_flush_brings_the_groups_back(transactional_db):
    """Tests that flush the database (live server) must not leave later tests without groups."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    assert set(Group.objects.values_list("name", flat=True)) == {"Editors", "FAQ staff"}


def test_a_list_filtered_by_a_topic_answers(editor_client):
    """The fuzzer found it: a topic filter's join warned (taggit under Django 6.1), a 500 here."""
    role = make_role("Harness Engineer")
    role.tags.add("memory")
    tag_id = role.tags.get().pk
    url = reverse("admin:comparisons_role_changelist")
    assert editor_client.get(url, {"tags__id__exact": tag_id}).status_code == 200
    assert editor_client.get(url, {"tags__id__exact": "-1"}).status_code == 200
