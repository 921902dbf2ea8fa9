"""Template filters for the public pages."""

from dataclasses import dataclass

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import SafeString, mark_safe

from harness_cms.core.addresses import kept_reverse
from harness_cms.core.links import unlink_dead

register = template.Library()

# The sanitiser allows no attributes on <table>, so the stored HTML has exactly these tags.
_SCROLLER = '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>'


@register.filter
def scrollable_tables(html):
    """Wrap each table of sanitised HTML in a focusable box that scrolls on its own when the
    table is wider than the screen, so the page itself never scrolls sideways."""
    if "<table>" not in html:
        return html
    wrapped = str(html).replace("<table>", _SCROLLER).replace("</table>", "</table></div>")
    # Only stored, sanitised HTML reaches this filter, and it adds fixed markup only.
    return mark_safe(wrapped) if isinstance(html, SafeString) else wrapped  # noqa: S308


@register.filter
def live_links(html, base_path="/"):
    """Stored HTML with its links to items that are not live now (unpublished, waiting,
    deleted) shown as plain text: a visitor never follows a link to a 404."""
    cleaned = unlink_dead(str(html), base_path or "/")
    # Only stored, sanitised HTML reaches this filter, and it only removes <a> tags.
    return mark_safe(cleaned) if isinstance(html, SafeString) else cleaned  # noqa: S308


@register.filter
def tag_address(slug):
    """The address of the topic ``slug``, or "" when no topic address can carry it."""
    return kept_reverse("topics:tag", str(slug))


@register.filter(expects_localtime=True)
def iso_time(value):
    """A date and time as ISO 8601 in the site's time zone: ``|date:'c'`` without parsing a
    format on every page."""
    return value.isoformat() if hasattr(value, "isoformat") else ""


# Fragments rendered once per process, by template and keys (see include_remembered).
_remembered = {}
REMEMBERED_MAX = 256


@receiver(setting_changed, dispatch_uid="harness_cms.site_tags.forget_remembered")
def _forget_remembered(**kwargs):
    # A fragment reads settings its keys do not name (the static files' storage gives the
    # logo's address): the static export renders with the production storage in-process.
    _remembered.clear()


@register.simple_tag(takes_context=True)
def include_remembered(context, template_name, *keys):
    """``{% include template_name %}``, rendered once per process for each value of ``keys``.

    For the fragments every page repeats (the site's header and footer): ``keys`` must name
    everything the fragment shows that can differ between pages or change while the process
    runs (the site's name, the section the page is in); all else it reads must be the same on
    every page.
    """
    key = (template_name, *keys)
    html = _remembered.get(key)
    if html is None:
        if len(_remembered) >= REMEMBERED_MAX:
            _remembered.clear()
        template = context.template.engine.get_template(template_name)
        with context.push():
            html = _remembered[key] = mark_safe(template.render(context))  # noqa: S308
    return html


@dataclass(frozen=True, slots=True)
class Card:
    """One card of ``includes/cards.html``: a title, one line and a link."""

    title: str
    url: str
    blurb: str = ""
    external: bool = False
    label: str = ""
    image: object = None


def _value(entry, name):
    # Entries are model instances, or dicts of the fields a cached list kept.
    return entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)


@register.filter
def link_cards(links):
    """Editors' cards (RelatedLink rows) as Cards."""
    return [
        Card(link.display_title, link.url, link.blurb, external=link.is_external) for link in links
    ]


@register.filter
def item_cards(items, labelled=""):
    """Items (roles, comparisons, pages) as Cards: the summary or description as the line and
    the lead picture; with ``"labelled"``, the kind as a label, the description as the line
    and no picture (the topic pages' mixed lists)."""
    if labelled:
        return [
            Card(item.title, item.path, item.meta_description, label=item.kind_label)
            for item in items
        ]
    return [
        Card(
            _value(item, "title"),
            _value(item, "path"),
            _value(item, "summary") or _value(item, "meta_description") or "",
            image=_value(item, "lead_image"),
        )
        for item in items
    ]
