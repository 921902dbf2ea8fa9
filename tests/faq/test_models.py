"""FAQ entries and their placements."""

import pytest
from django.db import IntegrityError, transaction

from faq.models import FAQ, FAQPlacement
from harness_cms.core.visibility import Status
from tests.factories import make_faq, make_role

pytestmark = pytest.mark.django_db


def test_answer_is_rendered_and_sanitised_on_save():
    faq = make_faq(answer="**Yes.** <script>alert(1)</script>")
    assert faq.answer_html == "<p><strong>Yes.</strong> </p>"
    assert faq.answer_text == "Yes."


def test_faq_address_is_its_anchor_on_the_index():
    assert make_faq("Is it new?", slug="is-it-new").get_absolute_url() == "/faq/#is-it-new"


def test_an_faq_is_placed_once_per_item():
    role = make_role()
    faq = make_faq(on=[role])
    with pytest.raises(IntegrityError), transaction.atomic():
        FAQPlacement.objects.create(faq=faq, item=role, position=1)


def test_questions_are_unique():
    make_faq("Same question?")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_faq("Same question?", slug="other-slug")


def test_visible_placements_hide_draft_faqs():
    role = make_role()
    make_faq("Live?", on=[role])
    make_faq("Draft?", on=[role], status=Status.DRAFT)
    visible = FAQPlacement.objects.visible().filter(item=role)
    assert [p.faq.question for p in visible] == ["Live?"]
    assert FAQ.objects.published().count() == 1
