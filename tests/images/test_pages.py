"""Images on the public site: lead images, pictures in Markdown by reference, the library's
files as served, link-preview cards and icons."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from harness_cms.core.models import ContentItem, SiteSettings
from harness_cms.images.models import Image
from tests.demo import load_demo
from tests.factories import make_comparison, make_faq, make_image, make_page, make_role

pytestmark = pytest.mark.django_db


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, key):
    tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def json_ld(soup):
    return str(soup.find("script", type="application/ld+json"))


def local(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_lead_image_is_a_responsive_picture_that_does_not_shift(client):
    image = make_image("Context layers")
    role = make_role("Harness Engineer", lead_image=image)
    soup = soup_of(client.get(role.path))
    picture = soup.select_one(".lead-image picture")
    assert picture.source["type"] == "image/webp"
    assert "480w" in picture.source["srcset"] and "1200w" in picture.source["srcset"]
    img = picture.img
    assert (img["width"], img["height"]) == ("1200", "675")  # the 16:9 crop's largest size
    assert img["alt"] == "Context layers, drawn as boxes"
    assert img.get("fetchpriority") == "high" and not img.get("loading")


def test_an_image_in_markdown_is_stored_by_reference_and_shows_its_current_text(client):
    image = make_image("Memory layers", credit="Harness CMS")
    body = f'Intro.\n\n![](image:{image.pk} "Where memory lives")\n'
    page = make_page("Architecture", body=body)
    figure = soup_of(client.get(page.path)).select_one(".prose figure.figure")
    assert figure.img["alt"] == "Memory layers, drawn as boxes"
    assert figure.figcaption.get_text() == "Where memory lives · Image: Harness CMS"
    assert all(url.startswith("/media/images/") for url in figure.img["srcset"].split(" ")[::2])
    # Changing the image's text in the library changes the pages that show it.
    image.alt_text = "Three boxes: context, session, memory"
    image.save()
    from harness_cms.images import services

    services.render_referring_items(image=image)
    figure = soup_of(client.get(page.path)).select_one(".prose figure.figure")
    assert figure.img["alt"] == "Three boxes: context, session, memory"


def test_a_reference_to_an_image_that_is_not_in_the_library_is_a_form_error(editor_client):
    role = make_role("AI Engineer")
    response = editor_client.post(
        f"/admin/comparisons/role/{role.pk}/change/",
        {
            "title": "AI Engineer",
            "slug": "ai-engineer",
            "summary": "",
            "position": "0",
            "lead": "",
            "body": "![](image:9999)",
            "tags": "",
            "faq_intro": "",
            "next_step": "",
            "related_intro": "",
            "status": "published",
            "loaded_version": role.version,
            "faq_placements-TOTAL_FORMS": "0",
            "faq_placements-INITIAL_FORMS": "0",
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "No image image:9999 in the library" in str(response.context["adminform"].form.errors)


def test_an_image_shown_in_text_cannot_be_deleted(editor_client):
    image = make_image("Shown")
    make_faq("Where does memory live?", answer=f"See ![](image:{image.pk}).")
    response = editor_client.get(f"/admin/images/image/{image.pk}/delete/")
    assert "Where does memory live?" in response.content.decode()
    assert "Cannot delete" in response.content.decode()
    editor_client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_a_lead_image_cannot_be_deleted_while_an_item_uses_it(editor_client):
    image = make_image("Lead")
    make_role("Harness Engineer", lead_image=image)
    editor_client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_librarys_files_are_served_for_a_year_and_only_they(client):
    image = make_image("Served")
    url = image.url("w800.webp")
    response = client.get(url)
    assert response.status_code == 200
    assert response.getvalue()[:4] == b"RIFF"
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=31536000" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    for path in ("/media/../harness_cms/settings.py", "/media/images/nothing.jpg", "/media/x.py"):
        assert client.get(path).status_code == 404


def test_every_page_has_a_link_preview_picture_of_1200_by_630(client):
    role_a, role_b = make_role("Harness Engineer"), make_role("AI Engineer")
    comparison = make_comparison(role_a, role_b)
    for path in (role_a.path, comparison.path, "/faq/", "/roles/", "/tags/"):
        soup = soup_of(client.get(path))
        assert meta(soup, "twitter:card") == "summary_large_image", path
        assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
        assert meta(soup, "og:image:alt")
        picture = client.get(local(meta(soup, "og:image")))
        assert picture.status_code == 200, path
        assert PillowImage.open(io.BytesIO(picture.content)).size == (1200, 630)


def test_a_comparisons_card_shows_both_roles_and_is_drawn_once(client, monkeypatch):
    comparison = make_comparison(make_role("Harness Engineer"), make_role("AI Engineer"))
    soup = soup_of(client.get(comparison.path))
    assert meta(soup, "og:image:alt") == "Harness Engineer and AI Engineer, side by side."
    card_url = local(meta(soup, "og:image"))
    assert client.get(card_url).status_code == 200
    from harness_cms.images import cards

    def no_more_drawing(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(cards, "draw_card", no_more_drawing)
    again = client.get(card_url)
    assert again.status_code == 200
    assert "immutable" in again["Cache-Control"]


def test_a_new_title_gets_a_new_card_and_the_old_one_is_gone(client):
    role = make_role("Harness Engineer")
    old = local(meta(soup_of(client.get(role.path)), "og:image"))
    role.title = "Harness Engineer (agent runtime)"
    role.save()
    new = local(meta(soup_of(client.get(role.path)), "og:image"))
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_an_unpublished_items_card_is_not_served(client):
    role = make_role("Harness Engineer")
    url = local(meta(soup_of(client.get(role.path)), "og:image"))
    role.status = "draft"
    role.save()
    assert client.get(url).status_code == 404


def test_a_chosen_image_is_the_link_preview_picture(client):
    image = make_image("For sharing")
    role = make_role("Harness Engineer", social_image=image)
    soup = soup_of(client.get(role.path))
    assert local(meta(soup, "og:image")) == image.url("social.jpg")
    assert meta(soup, "og:image:alt") == "For sharing, drawn as boxes"
    assert not soup.select(".lead-image")  # a link-preview picture is not a lead image


def test_the_organization_has_a_logo_and_the_site_a_touch_icon(client):
    make_role("Harness Engineer")
    soup = soup_of(client.get("/roles/harness-engineer/"))
    assert soup.find("link", rel="apple-touch-icon")["href"] == "/apple-touch-icon.png"
    assert meta(soup, "theme-color") == SiteSettings.load().brand_colour
    icon = client.get("/apple-touch-icon.png")
    assert PillowImage.open(io.BytesIO(icon.content)).size == (180, 180)
    assert '"logo":{"@type":"ImageObject"' in json_ld(soup)
    logo = make_image("Logo", size=(600, 600))
    settings = SiteSettings.load()
    settings.logo = logo
    settings.save()
    soup = soup_of(client.get("/roles/harness-engineer/"))
    assert logo.url("w480.jpg") in json_ld(soup)  # the rendition nearest 512 pixels


def test_stored_card_files_survive_in_storage(client):
    role = make_role("Harness Engineer")
    client.get(local(meta(soup_of(client.get(role.path)), "og:image")))
    _, files = default_storage.listdir("cards")
    assert len(files) == 1 and files[0].endswith(".png")


def test_every_page_in_the_sitemap_has_a_full_size_link_preview_picture(client):
    load_demo()
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = [local(url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert len(paths) >= 10
    pictures = set()
    for path in paths:
        soup = soup_of(client.get(path))
        assert meta(soup, "twitter:card") == "summary_large_image", path
        assert meta(soup, "og:image:alt"), path
        assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
        pictures.add(local(meta(soup, "og:image")))
    for picture in pictures:
        response = client.get(picture)
        assert response.status_code == 200, picture
        assert PillowImage.open(io.BytesIO(response.content)).size == (1200, 630)
    # Items have cards of their own; only pages that are not items share the site's.
    items = set(ContentItem.objects.published().values_list("path", flat=True))
    assert len(pictures) >= len([path for path in paths if path in items]) + 1
