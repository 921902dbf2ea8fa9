"""The FAQ index: every published question, grouped by topic."""

from itertools import groupby

from django.urls import reverse
from django.views.generic import TemplateView

from harness_cms.views import crumb, home_crumb

from .models import FAQ

DESCRIPTION_MAX_LENGTH = 160


def describe(groups):
    """A meta description naming the topics the index covers (50–160 characters)."""
    names = [topic.name for topic, _ in groups if topic]
    text = "Short answers to common questions"
    if names:
        text += ", grouped by topic: " + ", ".join(names) + "."
    else:
        text += " about the roles, their work and the teams that hire them."
    return text if len(text) <= DESCRIPTION_MAX_LENGTH else text[:157].rsplit(",", 1)[0] + "…"


class FAQIndexView(TemplateView):
    template_name = "faq/faq_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        faqs = (
            FAQ.objects.published()
            .select_related("topic")
            .order_by("topic__position", "topic__name", "question")
        )
        groups = [(topic, list(entries)) for topic, entries in groupby(faqs, key=lambda f: f.topic)]
        context["breadcrumbs"] = [home_crumb(), crumb("FAQ", reverse("faq:index"))]
        context["groups"] = groups
        context["meta_description"] = describe(groups)
        return context
