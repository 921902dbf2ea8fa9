"""What search engines and link previews read in a page's ``<head>``, worked out from the
view's context so every page — present and future — gets the same tags without code of its own.

Context keys read (all optional): ``item`` (or ``home`` on the home hub), ``meta_description``,
``canonical_path``, ``page_title``, ``breadcrumbs``, ``noindex``. An item's own ``noindex`` and
``canonical_url`` (editors set them on the item) are obeyed too.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.encoding import escape_uri_path

from harness_cms.core.models import ContentItem
from harness_cms.core.text import META_DESCRIPTION_MAX as DESCRIPTION_MAX
from harness_cms.core.text import META_DESCRIPTION_MIN as DESCRIPTION_MIN
from harness_cms.images.selectors import social_image

# What search results show of an SEO title (the editor's field, without the site name).
TITLE_MAX = 60


@dataclass
class HeadMeta:
    title: str
    description: str
    canonical: str | None
    noindex: bool
    og_type: str
    site_name: str
    published: object = None
    modified: object = None
    image: object = None  # harness_cms.images.selectors.SocialImage, with an absolute url


def absolute_url(path):
    """``SITE_URL`` + ``path``: the public, absolute form of a local address (a query string,
    such as a page number, is kept as it is)."""
    path, _, query = path.partition("?")
    return settings.SITE_URL + escape_uri_path(path) + (f"?{query}" if query else "")


def page_item(context):
    """The content item the page is about, if any (the home hub's page on ``/``)."""
    return context.get("item") or context.get("home")


def is_error_page(context):
    # Django's 404/500 handlers render with these keys; such pages must not be indexed.
    return "exception" in context and "request_path" in context


def page_title(context, site):
    """A short name of the page for Open Graph and structured data."""
    if context.get("page_title"):
        return str(context["page_title"])
    item = page_item(context)
    if item is not None:
        return item.meta_title
    crumbs = context.get("breadcrumbs") or []
    if crumbs:
        return str(crumbs[-1]["title"])
    return site.site_name


def canonical_path(context):
    """The page's own address: the view's ``canonical_path``, else the item's, else the
    request's — never with a query string."""
    if context.get("canonical_path"):
        return str(context["canonical_path"])
    item = page_item(context)
    if item is not None:
        return item.path
    request = context.get("request")
    return request.path if request is not None else "/"


def canonical_url(context):
    """The absolute canonical address: the item's override if an editor set one (a path on
    this site or a full address elsewhere), else the page's own address."""
    item = page_item(context)
    override = getattr(item, "canonical_url", "") if not context.get("canonical_path") else ""
    if override:
        return absolute_url(override) if override.startswith("/") else override
    return absolute_url(canonical_path(context))


def head_meta(context, site):
    item = page_item(context)
    error = is_error_page(context)
    image = None if error else social_image(item, site=site)
    if image is not None:
        image = replace(
            image, url=absolute_url(image.url) if image.url.startswith("/") else image.url
        )
    description = (
        context.get("meta_description")
        or (item.meta_description if item is not None else "")
        or site.default_seo_description
    )
    return HeadMeta(
        title=page_title(context, site),
        description=str(description),
        canonical=None if error else canonical_url(context),
        noindex=bool(context.get("noindex")) or error or bool(getattr(item, "noindex", False)),
        og_type="article"
        if item is not None and not getattr(item, "is_home", False)
        else "website",
        site_name=site.site_name,
        published=getattr(item, "publish_at", None),
        modified=getattr(item, "updated_at", None),
        image=image,
    )


def field_warnings(*, title, description, keyword=""):
    """Length problems of SEO fields, as sentences an editor can act on."""
    warnings = []
    if len(title) > TITLE_MAX:
        warnings.append(
            f"The SEO title has {len(title)} characters; search results cut it after about "
            f"{TITLE_MAX}."
        )
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        warnings.append(
            f"The meta description has {len(description)} characters; aim for "
            f"{DESCRIPTION_MIN}–{DESCRIPTION_MAX}."
        )
    if keyword and not any(ch.isalnum() for ch in keyword):
        warnings.append("The target keyword has no letters or digits.")
    return warnings


def duplicate_warnings(item):
    """Other items that use the same SEO title or meta description as ``item``."""
    warnings = []
    others = ContentItem.objects.exclude(pk=item.pk) if item.pk else ContentItem.objects.all()
    title = item.meta_title.strip()
    same_title = others.filter(seo_title__iexact=title) | others.filter(
        seo_title="", title__iexact=title
    )
    for other in same_title[:5]:
        warnings.append(f"“{other.title}” ({other.path}) has the same SEO title.")
    description = item.meta_description.strip()
    if description:
        for other in others.filter(seo_description__iexact=description)[:5]:
            warnings.append(f"“{other.title}” ({other.path}) has the same meta description.")
    keyword = item.target_keyword.strip()
    if keyword:
        for other in others.filter(target_keyword__iexact=keyword)[:5]:
            warnings.append(f"“{other.title}” ({other.path}) targets the same keyword.")
    return warnings
