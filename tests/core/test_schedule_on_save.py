"""The next scheduled publish or unpublish time is kept up to date by the saves that set one:
a save costs no scan of every FAQ, and pages stop at the new time (decision 0111)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from harness_cms.core import generation
from tests.factories import make_faq, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def scans(monkeypatch):
    """How many times the scan of every publishing table runs."""
    calls = []
    original = generation.scheduled_changes

    def counted(**kwargs):
        calls.append(1)
        return original(**kwargs)

    monkeypatch.setattr(generation, "scheduled_changes", counted)
    return calls


def test_an_edit_without_a_schedule_needs_no_scan(scans):
    faq = make_faq("Is it stateful?", answer="Yes.")
    generation.generation_for_now()
    assert len(scans) == 1
    for answer in ("Mostly.", "Often.", "Always."):
        faq.answer = answer
        faq.save()
        generation.generation_for_now()
    assert len(scans) == 1  # the generation did not move: the known times still hold


def test_a_save_that_sets_an_earlier_time_moves_the_next_one(scans, settings):
    later = timezone.now() + timedelta(hours=2)
    make_role("Prompt Engineer", publish_at=later)
    token, until = generation.generation_for_now()
    assert until == pytest.approx(later.timestamp())
    sooner = timezone.now() + timedelta(minutes=10)
    make_faq("Is it coming?", publish_at=sooner)
    token_after, until_after = generation.generation_for_now()
    # Without a shared cache each process keeps its own "valid until": a new generation tells
    # them all; with Redis the shared time itself moves.
    assert until_after == pytest.approx(sooner.timestamp())
    if generation._shared_cache():
        assert token_after == token
    else:
        assert token_after != token


def test_a_later_time_changes_nothing(scans):
    sooner = timezone.now() + timedelta(minutes=10)
    make_role("Prompt Engineer", publish_at=sooner)
    token, until = generation.generation_for_now()
    make_faq("Is it coming?", publish_at=sooner + timedelta(hours=1))
    assert generation.generation_for_now() == (token, until)
    assert len(scans) == 1
