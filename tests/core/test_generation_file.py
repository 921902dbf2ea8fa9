"""Without Redis the content generation lives in a file every process on the machine reads:
in a directory of the site's own (not the shared, world-writable temporary directory under a
name anyone can guess), and whatever is found in it never breaks a page."""

import os
import stat
import tempfile
from pathlib import Path

import pytest

from harness_cms.core import dependencies, generation
from tests.factories import make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_file(settings, tmp_path):
    """The file where it goes when PAGE_CACHE_GENERATION_FILE is not set."""
    settings.PAGE_CACHE_GENERATION_FILE = ""
    settings.BASE_DIR = tmp_path / "project"
    settings.BASE_DIR.mkdir()
    dependencies._generation_files.clear()
    dependencies._change_files.clear()
    yield
    dependencies._generation_files.clear()
    dependencies._change_files.clear()


def test_the_generation_file_is_private_and_not_in_the_temporary_directory(default_file, settings):
    # Written as it is without Redis (the PostgreSQL run of the suite has Redis).
    generation._write_file_token(generation._new_token())
    path = generation._generation_file()
    assert path.parent != Path(tempfile.gettempdir())
    assert path.parent == settings.BASE_DIR / ".run"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.parent.stat().st_uid == os.getuid()


@pytest.mark.parametrize(
    "garbage", [b"garbage", b"\xff\xfe\x00\x01", b"1e999-x", b"-", b"nan-00000000", b" " * 300]
)
def test_whatever_is_in_the_file_is_a_new_generation_not_a_500(client, settings, garbage):
    settings.PAGE_CACHE = True
    make_role("Harness Engineer")
    assert client.get("/").status_code == 200
    Path(settings.PAGE_CACHE_GENERATION_FILE).write_bytes(garbage)
    assert client.get("/").status_code == 200
    assert client.get("/roles/harness-engineer/").status_code == 200
    token = generation.current_generation()
    assert token.encode() != garbage and generation.last_modified(token) > 0
