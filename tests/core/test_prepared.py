"""Prepared queries: the SQL of a public page's queries is made once per process, and each call
gets what the queryset itself would give — the same rows, objects, annotations and dependency
tags — or falls back to the queryset when its parameters cannot be told apart."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comparisons.models import Comparison
from comparisons.views import ComparisonDetailView
from harness_cms.core import dependencies
from harness_cms.core.models import tags_of
from harness_cms.core.prepared import PreparedQuery, forget_all
from harness_cms.core.views import item_faqs, item_links
from tests.factories import make_comparison, make_faq, make_link, make_page, make_role

pytestmark = pytest.mark.django_db


def titles(rows):
    return [str(row) for row in rows]


def test_an_items_cards_and_questions_are_what_their_querysets_give_at_every_moment():
    now = timezone.now()
    role = make_role("Harness Engineer")
    shown = make_page("Shown", role=role)
    later = make_page("Later", role=role, publish_at=now + timedelta(days=2))
    gone = make_page("Gone", role=role, unpublish_at=now + timedelta(days=4))
    for position, target in enumerate([shown, later, gone]):
        make_link(role, target, position=position)
    make_link(role, external_url="https://example.com/", title="Outside", position=9)
    make_faq("Always?", on=[role])
    make_faq("From tomorrow?", on=[role], publish_at=now + timedelta(days=1))
    make_faq("Until day three?", on=[role], unpublish_at=now + timedelta(days=3))

    seen = set()
    for days in (0.01, 1.5, 2.5, 3.5, 5):
        moment = now + timedelta(days=days)
        for query in (item_links, item_faqs):
            expected = list(query.build(item=role.pk, now=moment))
            got = query.list(item=role.pk, now=moment)
            assert [row.pk for row in got] == [row.pk for row in expected]
            assert titles(got) == titles(expected)
            seen.add((query.name, tuple(row.pk for row in got)))
        links = item_links.list(item=role.pk, now=moment)
        assert [link.target.title if link.target else link.title for link in links] == [
            link.target.title if link.target else link.title
            for link in item_links.build(item=role.pk, now=moment)
        ]
    # The moments saw different lists: the time is a parameter, not a constant of the SQL.
    assert len(seen) > 4
    faqs = item_faqs.list(item=role.pk, now=now + timedelta(days=0.01))
    assert [faq.home_path for faq in faqs] == [role.path, role.path]


def test_a_comparison_comes_with_its_roles_topics_and_pictures_in_one_query(rf):
    comparison = make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"))
    comparison.tags.add("memory", "evals")
    view = ComparisonDetailView()
    view.setup(rf.get(comparison.path), slug=comparison.slug)
    view.get_object()  # prepared now
    with CaptureQueriesContext(connection) as queries:
        item = view.get_object()
        names = (item.role_a.title, item.role_b.title, item.role_a.path, item.lead_image)
        tags = [tag.name for tag in tags_of(item)]
    assert len(queries) == 1
    assert names == ("Harness Engineer", "AI Engineer", "/roles/harness-engineer/", None)
    assert tags == ["evals", "memory"]
    assert isinstance(item, Comparison) and item.pk == comparison.pk


def test_the_sql_is_compiled_once_and_the_queryset_built_only_to_prepare_it(monkeypatch):
    builds = []

    def build(*, item, now):
        builds.append(item)
        return item_links.build(item=item, now=now)

    query = PreparedQuery("counted", build)
    role, other = make_role(), make_role()
    make_link(role, make_page(role=role))
    make_link(other, make_page(role=other))
    make_link(other, make_page(role=other))
    now = timezone.now()
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert len(query.list(item=role.pk, now=now)) == 1
    # The first call built the query once with its values and once per value changed, and
    # ran it once.
    assert builds == [role.pk, role.pk + 7919, role.pk]
    assert len(statements) == 1

    compiled = []
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    builds.clear()
    statements.clear()
    with connection.execute_wrapper(record):
        assert len(query.list(item=other.pk, now=now)) == 2
        assert len(query.list(item=role.pk, now=now + timedelta(seconds=5))) == 1
    assert builds == [] and compiled == []
    assert len(statements) == 2 and statements[0] == statements[1]


def test_a_query_whose_values_are_transformed_is_not_prepared_and_still_answers_right():
    # icontains sends "%value%": not the value itself, so the query is built every time.
    query = PreparedQuery(
        "by part of a title",
        lambda *, part: Comparison.objects.filter(title__icontains=part).order_by("pk"),
    )
    first = make_comparison(make_role("Alpha"), make_role("Beta"))
    second = make_comparison(make_role("Gamma"), make_role("Delta"))
    assert query.list(part="alpha") == [first]
    assert query.list(part="gamma") == [second]
    assert list(query._compiled.values()) == [None]


def test_a_value_the_sql_depends_on_is_not_taken_for_a_parameter():
    # None (IS NULL) and a value (= %s) are two statements: each call gets the right one.
    query = PreparedQuery(
        "guides or a role's pages",
        lambda *, role: Comparison.objects.filter(role_a=role).order_by("pk"),
    )
    comparison = make_comparison()
    assert query.list(role=comparison.role_a_id) == [comparison]
    assert query.list(role=None) == []
    assert query.first(role=comparison.role_b_id) is None


def test_rows_read_through_a_prepared_query_are_what_the_page_showed():
    role = make_role()
    link = make_link(role, make_page(role=role))
    now = timezone.now()
    item_links.list(item=role.pk, now=now)
    with dependencies.collecting() as collector:
        item_links.list(item=role.pk, now=now)
    tags = collector.tags()
    assert dependencies.row_tag(type(link.target), link.target_id) in tags
    assert "t:pages_relatedlink" in tags


def test_after_a_migration_every_query_is_prepared_again():
    role = make_role()
    item_links.list(item=role.pk, now=timezone.now())
    assert item_links._compiled
    forget_all()
    assert item_links._compiled == {}
    assert item_links.list(item=role.pk, now=timezone.now()) == []


def test_a_constant_the_sql_is_built_with_is_part_of_what_is_kept():
    # A slice is written into the SQL: a changed limit is a new statement, not the old one.
    limit = {"rows": 1}
    query = PreparedQuery(
        "the first comparisons",
        lambda *, role: Comparison.objects.filter(role_a=role).order_by("pk")[: limit["rows"]],
        constants=lambda: (limit["rows"],),
    )
    role = make_role("Harness Engineer")
    first = make_comparison(role, make_role("AI Engineer"))
    second = make_comparison(role, make_role("Prompt Engineer"))
    assert query.list(role=role.pk) == [first]
    limit["rows"] = 2
    assert query.list(role=role.pk) == [first, second]
    limit["rows"] = 1
    assert query.list(role=role.pk) == [first]
    assert len(query._compiled) == 2


def test_the_hub_lists_as_many_as_its_limits_say_after_they_change(client, hub_limits):
    # The hub trims its lists to the limit in Python too: a limit that grows is the one an
    # old statement would get wrong.
    for number in range(3):
        make_page(f"Guide {number}", position=number)
    hub_limits(HUB_GUIDES=1)
    home = client.get("/").content.decode()
    assert "Guide 0" in home and "Guide 1" not in home
    hub_limits(HUB_GUIDES=3)
    home = client.get("/").content.decode()
    assert all(f"Guide {number}" in home for number in range(3))
