"""Proof that no stored text can run in a visitor's browser.

Every hostile input of the corpus goes into every text field of every content model (found
through ``_meta``, so new models and fields are covered), then every page kind is crawled and
parsed like a browser would. A *survivor* is anything executable that came out: a script that
is not a data block, an event handler, a frame or embed, a dangerous URL scheme, a JSON-LD
block that no longer parses, XML that is no longer well-formed, or a server error.
"""

import json
import time
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.test import Client
from django.urls import NoReverseMatch

from comparisons.models import Role
from harness_cms.core.models import RelatedLink
from tests.security.conftest import published_paths, report
from tests.security.hostile_corpus import HOSTILE_INPUTS
from tests.security.inspect import executable_problems, html5lib_elements
from tests.security.site_map import crawl, form_urls, get_forms, route_name

pytestmark = pytest.mark.django_db

# Tables written by machinery, never by editors: sessions, permissions, login attempts,
# content types, the admin's log, stored revisions.
MACHINE_APPS = {"auth", "contenttypes", "sessions", "admin", "axes", "reversion"}
SAVE_ERRORS = (IntegrityError, DataError, ValidationError, NoReverseMatch)


def content_models():
    """Concrete models people write, leaves of any inheritance (the parent's fields come with
    the child, which is what gets saved)."""
    everything = [m for m in apps.get_models() if m._meta.app_label not in MACHINE_APPS]
    parents = {parent for model in everything for parent in model._meta.parents}
    return [
        model
        for model in everything
        if model not in parents and model._meta.managed and not model._meta.proxy
    ]


def text_fields(model):
    """Every CharField and TextField an editor or an import can set (slugs and URLs too)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not field.primary_key
    ]


def _value_for(field, obj, payload):
    # Unique fields get the object's number appended so several rows can hold the payload.
    return f"{payload} {obj.pk}" if field.unique else payload


def store(payload, tally):
    """Put ``payload`` into every text field of every object that its validation accepts."""
    for model in content_models():
        fields = text_fields(model)
        if not fields:
            continue
        for obj in model._default_manager.all():
            accepted = []
            for field in fields:
                value = _value_for(field, obj, payload)
                try:
                    field.clean(value, obj)
                except ValidationError:
                    tally["refused"] += 1
                    continue
                setattr(obj, field.attname, value)
                accepted.append(field)
            try:
                with transaction.atomic():
                    obj.save()
                tally["stored"] += len(accepted)
            except SAVE_ERRORS:
                _store_one_by_one(model, obj.pk, accepted, payload, tally)


def _store_one_by_one(model, pk, fields, payload, tally):
    for field in fields:
        obj = model._default_manager.get(pk=pk)
        setattr(obj, field.attname, _value_for(field, obj, payload))
        try:
            with transaction.atomic():
                obj.save()
            tally["stored"] += 1
        except SAVE_ERRORS:
            tally["refused"] += 1


def survivors_in(pages):
    found = []
    for path, response in pages.items():
        content_type = response.get("Content-Type", "")
        if response.status_code >= 500:
            found.append(f"{path}: server error {response.status_code}")
        elif "html" in content_type:
            found += [f"{path}: {problem}" for problem in executable_problems(response.content)]
        elif "xml" in content_type:
            try:
                ET.fromstring(response.content)
            except ET.ParseError as error:
                found.append(f"{path}: XML no longer well-formed: {error}")
        elif "json" in content_type:
            try:
                json.loads(response.content)
            except ValueError:
                found.append(f"{path}: JSON no longer parses")
    return found


def _without_nul(text):
    # Browsers drop or replace NUL characters in text; either way nothing runs.
    return text.replace("\x00", "").replace("\ufffd", "")


@pytest.fixture
def world(demo):
    """The demo cluster, a stand-alone guide and a card to an outside page: every page kind and
    every kind of text."""
    role = Role.objects.order_by("pk").first()
    RelatedLink.objects.create(
        source=role, external_url="https://example.org/harness", title="Outside", blurb="Line."
    )


# Pages of one kind share their template and their queries; a kind with many pages (a topic
# page per tag) is checked on its fullest few, which keeps the corpus run to about a minute.
PAGES_PER_KIND = 3


def pages_per_kind(baseline):
    """Every crawled path without a query string, at most ``PAGES_PER_KIND`` per URL name (the
    ones with the most content), so every page kind and every model's text is rendered."""
    by_kind = {}
    for path, response in baseline.items():
        if "?" not in path:
            by_kind.setdefault(route_name(path), []).append((len(response.content), path))
    return [
        path
        for sized in by_kind.values()
        for _, path in sorted(sized, reverse=True)[:PAGES_PER_KIND]
    ]


# The corpus runs in parts so that parallel test workers share it (each part starts from the
# demo cluster; every part stores its inputs one after the other, as the whole run would).
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part{part + 1}of{PARTS}")
def test_no_hostile_input_survives_on_any_page(world, part):
    inputs = HOSTILE_INPUTS[part::PARTS]
    visitor = Client(raise_request_exception=False)
    started = time.monotonic()
    # The pages to render: every page the crawl reaches, and every GET form (search) submitted
    # with the hostile input itself.
    baseline = crawl(visitor, start=published_paths())
    paths = pages_per_kind(baseline)
    # The same search box sits on every page: submit each distinct form once.
    forms = list(
        dict.fromkeys(
            (action, tuple(names))
            for path in paths
            for action, names in get_forms(path, baseline[path])
        )
    )
    kinds = {route_name(path) for path, r in baseline.items() if r.status_code == 200}
    first_role = Role.objects.order_by("pk").first()
    tally = {"stored": 0, "refused": 0}
    survivors = []
    rendered = 0
    for name, payload in inputs:
        store(payload, tally)
        cache.clear()  # pages and settings may be cached; render what is stored now
        urls = dict.fromkeys([*paths, *form_urls(forms, payload)])  # every URL once
        pages = {url: visitor.get(url) for url in urls}
        rendered += len(pages)
        survivors += [f"{name}: {line}" for line in survivors_in(pages)]
        # Not vacuous: the role page shows the stored title, as plain text.
        title = Role.objects.get(pk=first_role.pk).title
        text = BeautifulSoup(pages[first_role.path].content, "html.parser").get_text()
        assert _without_nul(title) in _without_nul(text), name
    fields = sum(len(text_fields(model)) for model in content_models())
    report(
        f"hostile corpus, part {part + 1} of {PARTS}: {len(inputs)} of {len(HOSTILE_INPUTS)} "
        f"inputs × {fields} text fields of "
        f"{len(content_models())} models, {rendered} pages of {len(kinds)} kinds rendered "
        f"({tally['stored']} values stored, {tally['refused']} refused by validation) "
        f"in {time.monotonic() - started:.0f}s: survivors: {len(survivors)}"
    )
    assert not survivors, "\n".join(survivors)
    assert tally["stored"] > tally["refused"]


def test_the_corpus_is_large_and_its_names_are_unique():
    names = [name for name, _ in HOSTILE_INPUTS]
    assert len(names) >= 50 and len(set(names)) == len(names)


def test_the_inspector_catches_what_it_looks_for():
    """The checker itself must find each kind of survivor, or a clean result proves nothing."""
    caught = {
        "<script>alert(1)</script>": "executable script",
        "<img src=x onerror=alert(1)>": "event handler",
        '<a href="java&#x09;script:alert(1)">x</a>': "javascript: URL",
        '<a href="vbscript:x">x</a>': "vbscript: URL",
        '<img src="data:image/svg+xml,<svg/onload=alert(1)>">': "data: URL",
        "<iframe></iframe>": "<iframe> element",
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>': "javascript: URL",
        '<meta http-equiv="refresh" content="0">': "refresh",
        '<script type="application/ld+json">{"a": "</script>"}': "does not parse as JSON",
        '<p style="color:red">x</p>': "style attribute",
        '<script src="https://evil.example/x.js"></script>': "executable script",
        "<base href=/>": "<base> element",
    }
    for html, expected in caught.items():
        problems = executable_problems(html)
        assert any(expected in problem for problem in problems), (html, problems)
    assert executable_problems('<script type="application/ld+json">{"a": 1}</script>') == []
    assert executable_problems('<script src="/static/js/site.js"></script>') == []
    assert executable_problems('<img src="data:image/png;base64,AAAA" alt="x">') == []


def test_content_models_and_fields_are_discovered():
    """New models and fields join the corpus test by themselves."""
    found = {(m._meta.label, f.name) for m in content_models() for f in text_fields(m)}
    assert ("comparisons.Role", "title") in found
    assert ("comparisons.Comparison", "verdict") in found
    assert ("comparisons.ComparisonRow", "role_a_text") in found
    assert ("faq.FAQ", "answer") in found
    assert ("taggit.Tag", "name") in found
    assert ("pages.RelatedLink", "blurb") in found
    assert ("harness_cms.SiteSettings", "site_name") in found


# html5lib predates the 2020 change to the HTML standard that lets ``</p>`` and ``</br>`` leave
# SVG and MathML content; Lexbor and the browsers follow the standard, so they see the <img>.
HTML5LIB_IS_OUT_OF_DATE = {"svg style comment confusion"}


def kinds(problems):
    return sorted(problem.split(":")[0] for problem in problems)


def test_the_fast_parser_agrees_with_the_reference_parser_on_the_corpus():
    """The page checks parse with Lexbor (C, fast); on every raw hostile input it must find what
    html5lib, the standard's reference implementation in Python, finds."""
    for name, payload in HOSTILE_INPUTS:
        fast = kinds(executable_problems(payload))
        reference = kinds(executable_problems(payload, elements=html5lib_elements))
        if name in HTML5LIB_IS_OUT_OF_DATE:
            assert fast != reference and "<img> event handler onerror='alert(1)'" in fast, name
        else:
            assert fast == reference, name
