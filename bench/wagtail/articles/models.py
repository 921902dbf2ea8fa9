from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ArticlePage(Page):
    """An article: a lead and a rich-text body, plus the page's JSON-LD for the <head>."""

    lead = RichTextField(blank=True)
    body = RichTextField(blank=True)
    structured_data = models.TextField(blank=True, help_text="JSON-LD for the page's <head>.")

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("structured_data")]
