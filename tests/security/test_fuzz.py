"""Generated input never breaks the site: paths, query strings and admin forms.

No response is a server error, and an admin form that refuses its input saves nothing of it.
Example counts come from the Hypothesis profile (tests/conftest.py), so CI stays fast.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib import admin
from django.core import serializers
from django.test import Client
from django.urls import reverse
from hypothesis import given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.admin_forms import form_fields
from tests.security.conftest import published_paths
from tests.security.site_map import crawl, public_routes

pytestmark = pytest.mark.django_db

# --- values

WRONG_TYPES = [
    "abc", "-1", "0", "99999999999999999999999999", "1e309", "NaN", "-0", "0x1F", "2024-13-45",
    "31/02/2024", "25:61:61", "[]", "{}", "null", "true", "on", "../../etc/passwd", "%00",
    " ", "\t\n", "1; DROP TABLE harness_cms_contentitem", "' OR '1'='1", "<script>x</script>",
]  # fmt: skip
HUGE_SIZES = [71, 121, 201, 301, 501, 2_001, 5_001, 200_001]
ODD_CHARACTERS = ["é", "😀", "\u202e", "\u0301", "\ufeff", "a\x00", "\x00", "𝔥", "\u2028"]

huge_text = st.builds(
    lambda char, size: (char * size)[:size],
    st.sampled_from(["x", *ODD_CHARACTERS]),
    st.sampled_from(HUGE_SIZES),
)
with_nul = st.text(max_size=20).map(lambda text: f"{text}\x00{text}")
field_value = st.one_of(
    st.sampled_from(WRONG_TYPES),
    st.just(""),
    st.text(max_size=200),
    huge_text,
    with_nul,
)
# Sometimes a field arrives twice (a list), as a hand-made request can send it.
posted_value = st.one_of(field_value, st.lists(field_value, min_size=2, max_size=3))


# --- paths and query strings

path_segment = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["..", ".", "%00", "%2e%2e", "%252e", "%ff", "%c0%af", "\x00", "~", "%"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=30),
)


def _fill(route, segments):
    """A route with each <converter> replaced by a generated segment."""
    parts = route.split("<")
    filled = parts[0]
    for i, part in enumerate(parts[1:]):
        filled += segments[i % len(segments)] + part.split(">", 1)[1]
    return "/" + filled


@given(data=st.data())
def test_generated_paths_never_give_a_server_error(client, demo, data):
    routes = [route.path for route in public_routes()]
    route = data.draw(st.sampled_from([*routes, "<x>", "<x>/<x>", "roles/<x>/<x>/<x>/"]))
    segments = data.draw(st.lists(path_segment, min_size=1, max_size=3))
    path = _fill(route, segments).replace("?", "%3F").replace("#", "%23")
    note(f"path: {path!r}")
    response = client.get(path)
    assert response.status_code < 500


QUERY_KEYS = ["q", "page", "tag", "sort", "o", "p", "format", "next", "utm_source", "id"]


_crawled = []


def crawled_paths(client):
    """The demo site's pages, crawled once for all examples (the demo does not change)."""
    if not _crawled:
        _crawled.extend(
            sorted({path.split("?")[0] for path in crawl(client, start=published_paths())})
        )
    return _crawled


@given(data=st.data())
def test_generated_query_strings_never_give_a_server_error(client, demo, data):
    paths = crawled_paths(client)
    path = paths[data.draw(st.integers(0, 10_000)) % len(paths)]
    params = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(QUERY_KEYS), st.text(min_size=1, max_size=20)),
            posted_value,
            max_size=4,
        )
    )
    note(f"GET {path} {params!r}")
    assert client.get(path, params).status_code < 500


ADMIN_QUERY_KEYS = [
    "q", "o", "p", "all", "e", "_facets", "status__exact", "updated_at__gte", "tags__id__exact",
    "role_a__id__exact", "kind__exact", "_to_field", "_popup",
]  # fmt: skip


@given(data=st.data())
def test_generated_admin_list_queries_never_give_a_server_error(editor_client, demo, data):
    model = data.draw(st.sampled_from(list(admin.site._registry)))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    params = data.draw(
        st.dictionaries(st.sampled_from(ADMIN_QUERY_KEYS), posted_value, min_size=1, max_size=3)
    )
    note(f"GET {url} {params!r}")
    assert editor_client.get(url, params).status_code < 500


# --- admin forms


def admin_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def row_counts():
    # Every table of ours and of the apps we run; an unmanaged model (RQ's dashboard) has none.
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
    }


def inline_prefixes(response):
    """Inline formsets of an admin form: ``{prefix: [field names of one row]}``."""
    soup = BeautifulSoup(response.content, "html.parser")
    prefixes = {}
    for field in soup.find_all(attrs={"name": lambda name: name and "-__prefix__-" in name}):
        prefix, name = field["name"].split("-__prefix__-")
        prefixes.setdefault(prefix, []).append(name)
    return prefixes


def pick(data, options):
    """One of ``options``, drawn so that the draw does not depend on how many there are
    (the form's fields change as examples save things; Hypothesis needs stable draws)."""
    return options[data.draw(st.integers(0, 10_000)) % len(options)]


def fuzzed_post(data, fields, inlines):
    """The form's own values with some replaced, dropped or joined by a fuzzed inline row."""
    post = dict(fields)
    names = sorted(post)
    if inlines and data.draw(st.booleans()):
        prefix = pick(data, sorted(inlines))
        total = int(post[f"{prefix}-TOTAL_FORMS"])
        for name in inlines[prefix]:
            post[f"{prefix}-{total}-{name}"] = data.draw(field_value)
        post[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    for _ in range(data.draw(st.integers(0, 5))):
        post[pick(data, names)] = data.draw(posted_value)
    for _ in range(data.draw(st.integers(0, 2))):
        post.pop(pick(data, names), None)
    note(f"POST {json.dumps(post, ensure_ascii=True)[:2000]}")
    return post


def _opts(model):
    return model._meta.app_label, model._meta.model_name


FORM_EXAMPLES = max(5, hypothesis_settings.default.max_examples // 3)


@pytest.mark.parametrize("model", admin_models(), ids=lambda model: model._meta.label)
@given(data=st.data())
@hypothesis_settings(max_examples=FORM_EXAMPLES)
def test_fuzzed_add_forms_refuse_cleanly_and_save_nothing(editor_client, demo, model, data):
    url = reverse("admin:{}_{}_add".format(*_opts(model)))
    page = editor_client.get(url)
    if page.status_code == 403:  # not the editor's to add: fuzzing must not get past that
        assert editor_client.post(url, {"x": data.draw(field_value)}).status_code == 403
        return
    post = fuzzed_post(data, form_fields(page), inline_prefixes(page))
    before = row_counts()
    response = editor_client.post(url, post)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert row_counts() == before
    else:
        _saved_item_still_renders(model)


@pytest.mark.parametrize("model", admin_models(), ids=lambda model: model._meta.label)
@given(data=st.data())
@hypothesis_settings(max_examples=FORM_EXAMPLES)
def test_fuzzed_change_forms_refuse_cleanly_and_change_nothing(editor_client, demo, model, data):
    changelist = reverse("admin:{}_{}_changelist".format(*_opts(model)))
    obj = model._default_manager.order_by("pk").first()
    if editor_client.get(changelist).status_code == 403:
        # Not the editor's: no fuzzed change gets past the permission check.
        url = reverse("admin:{}_{}_change".format(*_opts(model)), args=[obj.pk if obj else 1])
        assert editor_client.post(url, {"x": data.draw(field_value)}).status_code in (302, 403)
        return
    if obj is None:
        # Nothing of this kind in the demo yet: a change of a missing row is refused cleanly.
        url = reverse("admin:{}_{}_change".format(*_opts(model)), args=[999_999])
        assert editor_client.post(url, {"x": data.draw(field_value)}).status_code in (302, 404)
        return
    url = reverse("admin:{}_{}_change".format(*_opts(model)), args=[obj.pk])
    page = editor_client.get(url)
    post = fuzzed_post(data, form_fields(page), inline_prefixes(page))
    before = row_counts(), serializers.serialize("json", [model._default_manager.get(pk=obj.pk)])
    response = editor_client.post(url, post)
    # 403: a view-only model (the page picker's list) refuses every change.
    assert response.status_code in (200, 302, 403)
    if response.status_code in (200, 403):
        after = row_counts(), serializers.serialize("json", [model._default_manager.get(pk=obj.pk)])
        assert after == before
    else:
        _saved_item_still_renders(model, obj.pk)


def _saved_item_still_renders(model, pk=None):
    """Whatever an editor managed to save, the public site still serves it (or a 404)."""
    visitor = Client()
    obj = model._default_manager.get(pk=pk) if pk else model._default_manager.order_by("pk").last()
    paths = ["/"]
    if hasattr(obj, "get_absolute_url"):
        paths.append(obj.get_absolute_url())
    for path in paths:
        assert visitor.get(path).status_code < 500, path


def autocomplete_sources():
    """Every (app, model, field) whose admin form offers an autocomplete, inlines included."""
    sources = []
    for model, model_admin in admin.site._registry.items():
        holders = [(model, model_admin), *((i.model, i) for i in model_admin.inlines)]
        for holder_model, holder in holders:
            for field in getattr(holder, "autocomplete_fields", ()):
                opts = holder_model._meta
                sources.append((opts.app_label, opts.model_name, field))
    return sorted(set(sources))


@pytest.mark.parametrize("source", autocomplete_sources(), ids="-".join)
@given(term=st.one_of(st.text(max_size=50), st.sampled_from(WRONG_TYPES), with_nul))
@hypothesis_settings(max_examples=FORM_EXAMPLES)
def test_every_autocomplete_answers_any_search_term(editor_client, demo, source, term):
    app_label, model_name, field_name = source
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
    response = editor_client.get(reverse("admin:autocomplete"), {**params, "term": term})
    assert response.status_code in ((400,) if "\x00" in term else (200, 403))
    if response.status_code == 200:
        assert "results" in response.json()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/?q=a%00b", 400),
        ("/faq/?%00=x", 400),
        ("/admin/comparisons/role/?q=%00", 400),
        ("/roles/%00/", 404),
        ("/admin/comparisons/role/%00/change/", 404),
    ],
)
def test_a_nul_byte_in_the_address_is_refused_before_any_query(editor_client, url, status):
    """PostgreSQL refuses NUL in a query; the request never gets that far."""
    response = editor_client.get(url)
    assert response.status_code == status
    assert response["Content-Security-Policy"]
