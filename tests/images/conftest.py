"""Image files for the image library's tests, made here so that each test says what it uses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import image_bytes


def upload(content, name="picture.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def photo():
    return image_bytes()


@pytest.fixture(autouse=True)
def _media_of_its_own(settings, tmp_path):
    """Each test stores its files in a folder of its own, so what it finds is what it made."""
    settings.MEDIA_ROOT = tmp_path / "media"
