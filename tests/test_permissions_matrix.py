"""Who may open which admin page and run which action: one table, every cell checked.

A cell is the HTTP status (``login`` = sent to the login page) or, for actions, whether the
action changed anything (``done``) or not (``no``). Change one permission anywhere and a cell
here changes: update the table only on purpose.

FAQ staff search content items (drafts and scheduled ones included) from the placement
picker only, the one picker their work needs; any other field pointing at items (cards,
redirects) is refused them, and so is the admin's "view on site" of an item they cannot see.

FAQ staff posting a form opened as editable to an entry published since get it back refused,
with their text (200, nothing saved), not a bare 403.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from comparisons.models import Role
from faq.models import FAQ
from harness_cms.core.models import SiteSettings
from tests.admin_forms import form_fields
from tests.factories import (
    make_comparison,
    make_faq,
    make_link,
    make_page,
    make_role,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db

USERS = ["anonymous", "faq_staff", "editor", "superuser"]

# page / action                         anonymous  faq_staff  editor  superuser
MATRIX = """
role changelist                         login      403        200     200
role add                                login      403        200     200
role change                             login      403        200     200
role delete                             login      403        200     200
role history                            login      403        200     200
role preview                            login      403        200     200
role preview-changes                    login      403        200     200
role preview-new                        login      403        200     200
role compare                            login      403        200     200
role restore                            login      403        200     200
role markdown-preview                   login      403        200     200
comparison changelist                   login      403        200     200
comparison add                          login      403        200     200
comparison change                       login      403        200     200
comparison delete                       login      403        200     200
comparison history                      login      403        200     200
comparison preview                      login      403        200     200
comparison compare                      login      403        200     200
comparison restore                      login      403        200     200
page changelist                         login      403        200     200
page add                                login      403        200     200
page change                             login      403        200     200
page delete                             login      403        200     200
page history                            login      403        200     200
page preview                            login      403        200     200
relatedlink changelist                  login      403        200     200
relatedlink add                         login      403        200     200
relatedlink change                      login      403        200     200
relatedlink delete                      login      403        200     200
faq changelist                          login      200        200     200
faq add                                 login      200        200     200
faq change-draft                        login      200        200     200
faq change-published                    login      200        200     200
faq post-published                      login      302        302     302
faq delete                              login      403        200     200
faq history                             login      200        200     200
faq preview                             login      200        200     200
faq preview-changes                     login      200        200     200
faq preview-new                         login      200        200     200
faq compare                             login      200        200     200
faq restore-draft                       login      200        200     200
faq restore-published                   login      403        200     200
faq markdown-preview                    login      200        200     200
topic changelist                        login      403        200     200
topic add                               login      403        200     200
topic change                            login      403        200     200
contentitem changelist                  login      403        200     200
contentitem change                      login      403        200     200
sitesettings changelist                 login      403        200     200
sitesettings change                     login      403        200     200
tag changelist                          login      403        200     200
user changelist                         login      403        403     200
user add                                login      403        403     200
group changelist                        login      403        403     200
autocomplete faq-placement-item         login      200        200     200
autocomplete comparison-role            login      403        200     200
autocomplete card-target                login      403        200     200
autocomplete redirect-target            login      403        200     200
view-on-site draft-role                 login      404        302     302
view-on-site published-role             login      302        302     302
action role-publish                     no         no         done    done
action role-unpublish                   no         no         done    done
action role-send-to-review              no         no         done    done
action faq-publish                      no         no         done    done
action faq-unpublish                    no         no         done    done
action faq-send-to-review               no         done       done    done
"""


def expected_table():
    table = {}
    for line in MATRIX.strip().splitlines():
        *name, anonymous, faq_staff, editor, superuser = line.split()
        table[" ".join(name)] = dict(
            zip(USERS, [anonymous, faq_staff, editor, superuser], strict=True)
        )
    return table


@pytest.fixture
def world(db):
    """One of everything, rebuilt for each user so actions start from the same state."""
    role_a, role_b = make_role("Harness Engineer"), make_role("AI Engineer", status="draft")
    comparison = make_comparison(role_a, role_b, rows=1)
    page = make_page("Workflow", role=role_a)
    link = make_link(comparison, page)
    topic = make_topic("The role")
    draft_faq = make_faq("Draft question?", status="draft", on=[role_a])
    published_faq = make_faq("Published question?", on=[role_a])
    SiteSettings.load()
    superuser = User.objects.create_superuser("root", password="pw")
    users = {
        "anonymous": None,
        "faq_staff": make_staff("faqstaff", "FAQ staff"),
        "editor": make_staff("editor", "Editors"),
        "superuser": superuser,
    }
    # Every object gets one revision, made by the superuser through the admin.
    root = Client()
    root.force_login(superuser)
    for obj in (role_a, comparison, page, draft_faq, published_faq):
        url = admin_url(obj, "change")
        response = root.post(url, {**form_fields(root.get(url)), "_publish": "1"})
        assert response.status_code == 302
    return {
        "role": role_a,
        "draft_role": role_b,
        "comparison": comparison,
        "page": page,
        "relatedlink": link,
        "faq": draft_faq,
        "published_faq": published_faq,
        "topic": topic,
        "users": users,
    }


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def list_url(model, view):
    return reverse(f"admin:{model}_{view}")


def first_version(obj):
    from reversion.models import Version

    return Version.objects.get_for_object(obj).first().pk


def status_of(response):
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return "login"
    return str(response.status_code)


def request_for(name, world, root):
    """(method, url, data) for a row of the table; data is read from the superuser's form."""
    kind, what = name.split(" ", 1)
    models = {
        "role": "comparisons_role",
        "comparison": "comparisons_comparison",
        "page": "pages_page",
        "relatedlink": "pages_relatedlink",
        "faq": "faq_faq",
        "topic": "faq_topic",
        "contentitem": "harness_cms_contentitem",
        "sitesettings": "harness_cms_sitesettings",
        "tag": "taggit_tag",
        "user": "auth_user",
        "group": "auth_group",
    }
    if kind == "autocomplete":
        field = {
            "faq-placement-item": ("faq", "faqplacement", "item"),
            "comparison-role": ("comparisons", "comparison", "role_a"),
            "card-target": ("pages", "relatedlink", "target"),
            "redirect-target": ("harness_cms", "redirect", "target"),
        }[what]
        query = dict(zip(["app_label", "model_name", "field_name"], field, strict=True))
        return "get", reverse("admin:autocomplete"), {**query, "term": "Harn"}
    if kind == "view-on-site":
        role = world["draft_role" if what == "draft-role" else "role"]
        ct = ContentType.objects.get_for_model(role)
        return "get", reverse("admin:view_on_site", args=[ct.pk, role.pk]), None
    objects = {
        "role": world["role"],
        "comparison": world["comparison"],
        "page": world["page"],
        "relatedlink": world["relatedlink"],
        "faq": world["faq"],
        "topic": world["topic"],
        "contentitem": world["role"].contentitem_ptr,
        "sitesettings": SiteSettings.load(),
    }
    obj = objects.get(kind)
    if what == "changelist":
        return "get", list_url(models[kind], "changelist"), None
    if what == "add":
        return "get", list_url(models[kind], "add"), None
    if what in ("change", "delete", "history", "preview"):
        return "get", admin_url(obj, what), None
    if what == "change-draft":
        return "get", admin_url(obj, "change"), None
    if what == "change-published":
        return "get", admin_url(world["published_faq"], "change"), None
    if what == "post-published":
        url = admin_url(world["published_faq"], "change")
        return "post", url, form_fields(root.get(url))
    if what == "preview-changes":
        return "post", admin_url(obj, "preview"), form_fields(root.get(admin_url(obj, "change")))
    if what == "preview-new":
        data = form_fields(root.get(list_url(models[kind], "add")))
        data.update({"title": "New", "slug": "new", "question": "New?", "status": "draft"})
        return "post", list_url(models[kind], "preview_add"), data
    if what == "compare":
        version = first_version(obj)
        return "get", admin_url(obj, "compare"), {"old": version, "new": version}
    if what.startswith("restore"):
        target = world["published_faq"] if what == "restore-published" else obj
        return "get", admin_url(target, "restore", first_version(target)), None
    if what == "markdown-preview":
        return "post", list_url(models[kind], "markdown_preview"), {"text": "**x**"}
    raise AssertionError(f"no request for {name!r}")


ACTIONS = {
    "role-publish": ("comparisons_role", "publish_now", "draft_role", "published"),
    "role-unpublish": ("comparisons_role", "unpublish", "role", "draft"),
    "role-send-to-review": ("comparisons_role", "send_to_review", "draft_role", "review"),
    "faq-publish": ("faq_faq", "publish_now", "faq", "published"),
    "faq-unpublish": ("faq_faq", "unpublish", "published_faq", "draft"),
    "faq-send-to-review": ("faq_faq", "send_to_review", "faq", "review"),
}


def run_action(client, name, world):
    model, action, key, wanted = ACTIONS[name]
    obj = world[key]
    client.post(list_url(model, "changelist"), {"action": action, "_selected_action": [obj.pk]})
    fresh = type(obj).objects.get(pk=obj.pk)
    return "done" if fresh.status == wanted else "no"


def reset_statuses(world):
    Role.objects.filter(pk=world["draft_role"].pk).update(status="draft")
    Role.objects.filter(pk=world["role"].pk).update(status="published")
    FAQ.objects.filter(pk=world["faq"].pk).update(status="draft")
    FAQ.objects.filter(pk=world["published_faq"].pk).update(status="published")


def test_permissions_matrix(world):
    expected = expected_table()
    root = Client()
    root.force_login(world["users"]["superuser"])
    actual = {}
    for name in expected:
        actual[name] = {}
        for who in USERS:
            client = Client()
            if world["users"][who] is not None:
                client.force_login(world["users"][who])
            if name.startswith("action "):
                reset_statuses(world)
                actual[name][who] = run_action(client, name.split(" ", 1)[1], world)
                continue
            method, url, data = request_for(name, world, root)
            response = getattr(client, method)(url, data or {})
            actual[name][who] = status_of(response)
            if name == "faq post-published" and who == "faq_staff":
                assert FAQ.objects.get(pk=world["published_faq"].pk).status == "published"
            if name == "faq post-published" and response.status_code == 302:
                reset_statuses(world)
    mismatches = {
        name: {"expected": expected[name], "actual": actual[name]}
        for name in expected
        if expected[name] != actual[name]
    }
    assert mismatches == {}


def test_the_groups_hold_exactly_these_publish_permissions(db):
    def publish_perms(group):
        return sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=group).permissions.all()
            if p.codename.startswith("publish_")
        )

    assert publish_perms("Editors") == [
        "comparisons.publish_comparison",
        "comparisons.publish_role",
        "faq.publish_faq",
        "pages.publish_page",
    ]
    assert publish_perms("FAQ staff") == []
