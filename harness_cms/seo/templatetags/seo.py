"""Template tags for the tags in ``<head>`` that search engines and link previews read."""

from django import template

from harness_cms.core.models import SiteSettings
from harness_cms.seo import head, structured_data

register = template.Library()


def _site(context):
    return context.get("site") or SiteSettings.load()


@register.simple_tag(takes_context=True)
def head_meta(context):
    """Description, canonical URL, robots, Open Graph and Twitter values for this page."""
    return head.head_meta(context.flatten(), _site(context))


@register.simple_tag(takes_context=True)
def json_ld(context):
    """The page's JSON-LD graph as a script block that text inside cannot break out of."""
    return structured_data.render_json_ld(
        structured_data.build_graph(context.flatten(), _site(context))
    )
