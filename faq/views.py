"""The FAQ index: every published question, grouped by topic."""

from itertools import groupby

from django.urls import reverse
from django.views.generic import TemplateView

from harness_cms.views import crumb, home_crumb

from .models import FAQ


class FAQIndexView(TemplateView):
    template_name = "faq/faq_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        faqs = (
            FAQ.objects.published()
            .select_related("topic")
            .order_by("topic__position", "topic__name", "question")
        )
        context["breadcrumbs"] = [home_crumb(), crumb("FAQ", reverse("faq:index"))]
        context["groups"] = [
            (topic, list(entries)) for topic, entries in groupby(faqs, key=lambda f: f.topic)
        ]
        return context
