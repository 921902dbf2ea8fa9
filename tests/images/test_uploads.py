"""Uploads to the image library: what is refused (with a form error, nothing kept) and what a
kept image becomes (cleaned original, renditions made once)."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PillowImage

from harness_cms.images import processing
from harness_cms.images.models import Image
from tests.factories import image_bytes
from tests.images.conftest import upload

ADD_URL = "/admin/images/image/add/"


def post_upload(client, content, name="picture.jpg", **fields):
    data = {
        "title": "A picture",
        "alt_text": "Boxes in three layers",
        "credit": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "upload": upload(content, name),
        **fields,
    }
    return client.post(ADD_URL, data)


def stored_files():
    """Every file under the library's folder of the storage."""
    found = []

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}")

    if default_storage.exists("images"):
        walk("images")
    return found


def huge_png(width, height):
    """A valid PNG header claiming ``width`` × ``height`` pixels, with almost no data: what a
    decompression bomb looks like before it is decoded."""
    signature = b"\x89PNG\r\n\x1a\n"
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressed = zlib.compress(b"\x00" * 1000)
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")


def form_error(response, field="upload"):
    assert response.status_code == 200, "the form was not shown again"
    return " ".join(response.context["adminform"].form.errors.get(field, []))


BAD_FILES = [
    ("not-an-image.jpg", b"Just some words, not a picture.", "not an image that can be read"),
    ("setup.jpg", b"MZ\x90\x00\x03" + b"\x00" * 2000, "not an image that can be read"),
    (
        "script.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG files are not accepted",
    ),
    ("empty.png", b"", "empty"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_file_that_is_no_image_is_a_form_error_and_nothing_is_kept(
    editor_client, name, content, message
):
    response = post_upload(editor_client, content, name)
    assert message in form_error(response)
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_a_truncated_image_is_a_form_error(editor_client):
    truncated = image_bytes()[:-4000]
    assert "damaged or incomplete" in form_error(post_upload(editor_client, truncated))
    assert Image.objects.count() == 0


def test_a_decompression_bomb_is_refused_before_it_is_decoded(editor_client):
    response = post_upload(editor_client, huge_png(20_000, 20_000), "bomb.png")
    assert "megapixels" in form_error(response)
    assert Image.objects.count() == 0


def test_too_many_pixels_says_the_limit(db):
    with pytest.raises(processing.ImageRejected, match="at most 40 megapixels"):
        processing.clean_upload(huge_png(9000, 5000))


def test_a_file_over_the_size_limit_says_the_limit(editor_client, settings):
    big = b"\xff\xd8\xff" + b"\x00" * (processing.MAX_UPLOAD_BYTES + 10)
    message = form_error(post_upload(editor_client, big))
    assert "at most 20 MB" in message
    assert Image.objects.count() == 0


def test_alt_text_is_required_unless_the_image_is_decorative(editor_client, photo):
    response = post_upload(editor_client, photo, alt_text="")
    assert "Describe the image" in str(response.context["adminform"].form.errors)
    assert stored_files() == []
    response = post_upload(editor_client, photo, alt_text="", decorative="on")
    assert response.status_code == 302
    assert Image.objects.get().alt == ""


def test_the_same_image_twice_is_refused_with_the_first_ones_name(editor_client, photo):
    assert post_upload(editor_client, photo).status_code == 302
    message = form_error(post_upload(editor_client, photo, title="Again"))
    assert "already in the library as “A picture”" in message


def test_an_upload_is_kept_without_its_camera_data_and_upright(editor_client):
    exif = PillowImage.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to be upright
    content = image_bytes((1200, 600), exif=exif.tobytes())
    assert post_upload(editor_client, content).status_code == 302
    image = Image.objects.get()
    with default_storage.open(image.original, "rb") as original:
        kept = PillowImage.open(io.BytesIO(original.read()))
        assert not kept.getexif()
        assert kept.size == (600, 1200)
    assert (image.width, image.height) == (600, 1200)


def test_renditions_are_made_once_in_webp_and_a_fallback_never_wider_than_the_original(
    editor_client, photo
):
    assert post_upload(editor_client, photo).status_code == 302
    image = Image.objects.get()
    names = set(image.renditions)
    widths = {"480", "800", "1200", "1600"}
    assert {f"w{w}.{ext}" for w in widths for ext in ("webp", "jpg")} <= names
    assert not any(name.startswith("w2000") for name in names)  # the original is 1600 wide
    assert {"card-w480.webp", "card-w1200.jpg", "social.jpg"} <= names
    for name, (width, height, stored, mime) in image.renditions.items():
        with default_storage.open(stored, "rb") as file:
            picture = PillowImage.open(file)
            assert picture.size == (width, height), name
            assert PillowImage.MIME[picture.format] == mime
    assert image.renditions["social.jpg"][:2] == [1200, 630]
    # Saving the text again makes nothing new.
    before = sorted(stored_files())
    response = editor_client.post(
        f"/admin/images/image/{image.pk}/change/",
        {"title": "Renamed", "alt_text": "Boxes", "credit": "", "focal_x": "0.5", "focal_y": "0.5"},
    )
    assert response.status_code == 302
    assert sorted(stored_files()) == before


def test_moving_the_focal_point_makes_new_crops_and_removes_the_old(
    editor_client, photo, django_capture_on_commit_callbacks
):
    assert post_upload(editor_client, photo).status_code == 302
    image = Image.objects.get()
    old = image.renditions["card-w480.webp"][2]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/images/image/{image.pk}/change/",
            {
                "title": "A picture",
                "alt_text": "Boxes",
                "credit": "",
                "focal_x": "0.1",
                "focal_y": "0.9",
            },
        )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.renditions["card-w480.webp"][2] != old
    assert not default_storage.exists(old)
    assert default_storage.exists(image.renditions["card-w480.webp"][2])


def test_a_storage_failure_is_a_form_error_and_keeps_nothing(editor_client, photo, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(processing, "_encode", broken)
    response = post_upload(editor_client, photo, title="Kept in the form")
    assert "could not be stored (No space left on device)" in str(
        response.context["adminform"].form.errors
    )
    assert response.context["adminform"].form["title"].value() == "Kept in the form"
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_deleting_an_image_removes_its_files(
    editor_client, photo, django_capture_on_commit_callbacks
):
    assert post_upload(editor_client, photo).status_code == 302
    image = Image.objects.get()
    files = image.files()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Image.objects.count() == 0
    assert not any(default_storage.exists(name) for name in files)


def test_faq_staff_cannot_reach_the_library(faq_staff_client):
    assert faq_staff_client.get(ADD_URL).status_code == 403
    assert faq_staff_client.get("/admin/images/image/picker/").status_code == 403
