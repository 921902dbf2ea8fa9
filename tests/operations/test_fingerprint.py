"""The content fingerprint that proves a restore complete: equal for the same content, at the
precision a JSON export keeps."""

from datetime import timedelta

import pytest

from comparisons.models import Role
from harness_cms.operations.backup import fingerprint
from tests.factories import make_role

pytestmark = pytest.mark.django_db


def set_updated_at(role, moment):
    Role.objects.filter(pk=role.pk).update(updated_at=moment)


def test_a_time_within_its_millisecond_reads_the_same_as_the_whole_second():
    """A JSON export keeps milliseconds: 12:00:05.000412 comes back as 12:00:05, and Django's
    serializer spells the two differently ('…05.000Z' and '…05Z')."""
    role = make_role("Harness Engineer")
    second = role.updated_at.replace(microsecond=0)
    set_updated_at(role, second + timedelta(microseconds=412))
    before = fingerprint()
    set_updated_at(role, second)
    assert fingerprint() == before


def test_a_change_of_a_millisecond_changes_the_fingerprint():
    role = make_role("Harness Engineer")
    second = role.updated_at.replace(microsecond=0)
    set_updated_at(role, second)
    before = fingerprint()
    set_updated_at(role, second + timedelta(milliseconds=1))
    digest, counts, models = fingerprint()
    assert digest != before[0] and counts == before[1]
    assert [label for label in models if models[label] != before[2][label]] == [
        "harness_cms.ContentItem"
    ]
