"""Authors: profiles editors manage, a byline on the page, the Article's Person author in the
structured data (the Organization when a page names none), and content files that carry them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from harness_cms.content_files.services import ContentFileError, import_content
from harness_cms.core.models import Author, Byline
from harness_cms.core.visibility import Status
from tests.admin_forms import submit
from tests.content_files.test_content_files import empty_the_database, files_of
from tests.factories import make_role
from tests.seo.conftest import graph_of, soup_of

pytestmark = pytest.mark.django_db


def make_author(name="Ada Example", **fields):
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Author.objects.create(name=name, **fields)


def byline(item, *authors):
    for position, author in enumerate(authors):
        Byline.objects.create(item=item, author=author, position=position)


def test_a_page_names_its_authors_in_order_under_its_title(client):
    role = make_role("Harness Engineer")
    byline(
        role,
        make_author("Zoe Writer", links="https://zoe.example.com/\nhttps://social.example/@zoe"),
        make_author("Ada Example"),
    )
    header = soup_of(client.get(role.path)).find(class_="item-header")
    line = header.find(class_="byline")
    assert line.get_text() == "By Zoe Writer and Ada Example"
    link = line.find("a")
    assert link["href"] == "https://zoe.example.com/" and "noopener" in link["rel"]


def test_a_renamed_author_and_a_new_byline_show_on_the_next_request(client):
    """The authors a page names are kept for the content generation: a change to an author or
    to a byline is on the page at once."""
    role = make_role("Harness Engineer")
    author = make_author("Ada Example")
    byline(role, author)
    client.get(role.path)
    author.name = "Ada Renamed"
    author.save()
    assert "By Ada Renamed" in soup_of(client.get(role.path)).find(class_="byline").get_text()
    Byline.objects.create(item=role, author=make_author("Zoe Writer"), position=1)
    line = soup_of(client.get(role.path)).find(class_="byline").get_text()
    assert line == "By Ada Renamed and Zoe Writer"


def test_a_page_without_authors_has_no_byline(client):
    role = make_role("Harness Engineer")
    assert soup_of(client.get(role.path)).find(class_="byline") is None


def test_the_article_author_is_a_person_with_url_and_same_as(client):
    role = make_role("Harness Engineer")
    byline(
        role,
        make_author(
            "Zoe Writer",
            bio="Writes about **agents** and memory.",
            links="https://zoe.example.com/\nhttps://social.example/@zoe",
        ),
    )
    article = graph_of(client.get(role.path))["Article"][0]
    (person,) = article["author"]
    assert person["@type"] == "Person" and person["name"] == "Zoe Writer"
    assert person["url"] == "https://zoe.example.com/"
    assert person["sameAs"] == ["https://zoe.example.com/", "https://social.example/@zoe"]
    assert person["description"] == "Writes about agents and memory."


def test_without_authors_the_organization_stays_the_author(client):
    role = make_role("Harness Engineer")
    nodes = graph_of(client.get(role.path))
    organization_id = nodes["Organization"][0]["@id"]
    assert nodes["Article"][0]["author"] == {"@id": organization_id}


def test_links_are_checked_and_the_bio_sanitised(editor_client):
    url = reverse("admin:harness_cms_author_add")
    response = submit(
        editor_client,
        url,
        {"name": "Mallory", "slug": "mallory", "links": "javascript:alert(1)", "bio": ""},
    )
    assert "not a full http(s):// address" in str(response.context["adminform"].form.errors)
    assert not Author.objects.exists()
    submit(
        editor_client,
        url,
        {
            "name": "Mallory",
            "slug": "mallory",
            "links": " https://m.example.com/ \n\n",
            "bio": "Hi <script>alert(1)</script> [x](javascript:alert(1))",
        },
    )
    author = Author.objects.get()
    assert author.link_list == ["https://m.example.com/"]
    assert "<script" not in author.bio_html and "javascript:" not in author.bio_html


def test_editors_manage_authors(editor_client):
    author = make_author()
    change = reverse("admin:harness_cms_author_change", args=[author.pk])
    assert editor_client.get(change).status_code == 200
    assert editor_client.get(reverse("admin:harness_cms_author_changelist")).status_code == 200


def test_faq_staff_may_not_manage_authors(faq_staff_client):
    author = make_author()
    change = reverse("admin:harness_cms_author_change", args=[author.pk])
    assert faq_staff_client.get(change).status_code == 403
    assert faq_staff_client.get(reverse("admin:harness_cms_author_changelist")).status_code == 403


def test_an_item_form_names_its_authors(editor_client):
    role = make_role("Harness Engineer", status=Status.DRAFT)
    author = make_author()
    submit(
        editor_client,
        role.admin_url(),
        {
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": str(author.pk),
            "bylines-0-position": "0",
        },
    )
    assert list(role.bylines.values_list("author__name", flat=True)) == ["Ada Example"]


def test_content_files_carry_authors_both_ways(tmp_path):
    role = make_role("Harness Engineer")
    byline(role, make_author("Zoe Writer", bio="Writes.", links="https://zoe.example.com/"))
    call_command("export_content", str(tmp_path / "first"), stdout=StringIO())
    assert "zoe-writer" in (tmp_path / "first/authors.yaml").read_text()
    assert "authors:\n- zoe-writer" in (tmp_path / "first/roles/harness-engineer.md").read_text()
    empty_the_database()
    call_command("import_content", str(tmp_path / "first"), stdout=StringIO())
    assert Author.objects.get().link_list == ["https://zoe.example.com/"]
    call_command("export_content", str(tmp_path / "second"), stdout=StringIO())
    assert files_of(tmp_path / "first") == files_of(tmp_path / "second")


def test_content_files_naming_an_unknown_author_import_nothing(tmp_path):
    role = make_role("Harness Engineer")
    call_command("export_content", str(tmp_path), stdout=StringIO())
    path = tmp_path / "roles/harness-engineer.md"
    path.write_text(path.read_text().replace("title:", "authors: [nobody]\ntitle:", 1))
    (tmp_path / "authors.yaml").write_text("- slug: bad\n  name: Bad\n  links: [ftp://x]\n")
    with pytest.raises(ContentFileError) as error:
        import_content(tmp_path)
    assert any("no author 'nobody'" in problem for problem in error.value.problems)
    assert any("not a full http(s)://" in problem for problem in error.value.problems)
    assert not role.bylines.exists() and not Author.objects.exists()
