"""Schema.org JSON-LD: one ``@graph`` per page, built from what the page shows.

Every node comes from the view's context (the item, its breadcrumbs, its placed FAQs, the lists
a hub shows), so the structured data never claims what the visitor cannot see.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from harness_cms.core import markdown
from harness_cms.images.selectors import social_image
from harness_cms.seo.head import absolute_url, canonical_path, page_item, page_title

# The characters that could end or confuse a <script> block inside an HTML page, written as
# JSON escapes instead (as Django's json_script does): "</script>" in a question stays data.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
HEADLINE_MAX = 110  # Google reads at most this many characters of an Article headline.


def render_json_ld(data):
    """``data`` as a ``<script type="application/ld+json">`` block that nothing can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return mark_safe(  # noqa: S308 — the only markup-significant characters are escaped above
        f'<script type="application/ld+json">{text.translate(_ESCAPES)}</script>'
    )


def language_tag():
    """``LANGUAGE_CODE`` as a BCP 47 tag (en-us -> en-US), the form schema.org expects."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def _iso(value):
    return value.isoformat() if value else None


def _site_ids():
    root = settings.SITE_URL + "/"
    return root, root + "#website", root + "#organization"


def _absolute(url):
    return absolute_url(url) if url.startswith("/") else url


def _logo(site):
    """The Organization's logo: the one chosen in the site settings, else the site's mark."""
    logo = site.logo
    if logo is not None and logo.renditions:
        name = min(
            (
                name
                for name in logo.renditions
                if name.startswith("w") and not name.endswith(".webp")
            ),
            key=lambda name: abs(logo.renditions[name][0] - 512),
        )
        width, height = logo.renditions[name][:2]
        url = logo.url(name)
    else:
        width = height = 512
        url = reverse("images:icon", kwargs={"size": 512})
    return {"@type": "ImageObject", "url": _absolute(url), "width": width, "height": height}


def _clean(node):
    return {key: value for key, value in node.items() if value not in (None, "", [])}


def build_graph(context, site):
    """The page's JSON-LD as a dict: ``{"@context": ..., "@graph": [...]}``."""
    root, website_id, organization_id = _site_ids()
    url = absolute_url(canonical_path(context))
    webpage_id = url + "#webpage"
    item = page_item(context)
    crumbs = context.get("breadcrumbs") or []
    description = context.get("meta_description") or (
        item.meta_description if item is not None else site.default_seo_description
    )
    graph = [
        _clean(
            {
                "@type": "WebSite",
                "@id": website_id,
                "url": root,
                "name": site.site_name,
                "description": site.tagline,
                "publisher": {"@id": organization_id},
                "inLanguage": language_tag(),
            }
        ),
        _clean(
            {
                "@type": "Organization",
                "@id": organization_id,
                "name": site.organization_name or site.site_name,
                "url": root,
                "logo": _logo(site),
            }
        ),
    ]
    hub_entries = _hub_entries(context, item)
    webpage = {
        "@type": "CollectionPage" if hub_entries else "WebPage",
        "@id": webpage_id,
        "url": url,
        "name": page_title(context, site),
        "description": str(description or ""),
        "isPartOf": {"@id": website_id},
        "inLanguage": language_tag(),
    }
    if crumbs:
        webpage["breadcrumb"] = {"@id": url + "#breadcrumb"}
    if item is not None:
        webpage["datePublished"] = _iso(item.publish_at)
        webpage["dateModified"] = _iso(item.updated_at)
    graph.append(_clean(webpage))

    if item is not None and not getattr(item, "is_home", False) and not hub_entries:
        tags = context.get("tags")
        graph.append(
            _clean(
                {
                    "@type": "Article",
                    "@id": url + "#article",
                    "headline": item.title[:HEADLINE_MAX],
                    "description": str(description or ""),
                    "datePublished": _iso(item.publish_at or item.created_at),
                    "dateModified": _iso(item.updated_at),
                    "author": _authors(context.get("authors"), url) or {"@id": organization_id},
                    "publisher": {"@id": organization_id},
                    "mainEntityOfPage": {"@id": webpage_id},
                    "isPartOf": {"@id": webpage_id},
                    "keywords": [tag.name for tag in tags] if tags else None,
                    "image": _absolute(social_image(item, site=site).url),
                    "inLanguage": language_tag(),
                }
            )
        )

    if crumbs:
        graph.append(
            {
                "@type": "BreadcrumbList",
                "@id": url + "#breadcrumb",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": position,
                        "name": str(crumb["title"]),
                        "item": absolute_url(str(crumb["path"])),
                    }
                    for position, crumb in enumerate(crumbs, start=1)
                ],
            }
        )

    faqs = _faqs_shown(context)
    if faqs and site.faq_rich_results:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": url + "#faq",
                "isPartOf": {"@id": webpage_id},
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {
                            "@type": "Answer",
                            "text": markdown.to_plain_text(faq.answer_html),
                        },
                    }
                    for faq in faqs
                ],
            }
        )

    if hub_entries:
        graph.append(
            {
                "@type": "ItemList",
                "@id": url + "#items",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": position,
                        "url": absolute_url(entry.path),
                        "name": entry.title,
                    }
                    for position, entry in enumerate(hub_entries, start=1)
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


def _authors(authors, page_url):
    """The Article's authors as schema.org Person nodes (their main page as ``url``, every
    profile as ``sameAs``); None when the page names none (the Organization is the author)."""
    if not authors:
        return None
    return [
        _clean(
            {
                "@type": "Person",
                "@id": f"{page_url}#author-{author.slug}",
                "name": author.name,
                "url": author.url,
                "sameAs": author.link_list,
                "description": markdown.to_plain_text(author.bio_html),
            }
        )
        for author in authors
    ]


def _faqs_shown(context):
    """The questions this page marks up: of those it shows, the ones whose home it is.

    Each question is FAQPage markup on one page only (decision 0102): its first public
    placement (``home_path``, from ``FAQQuerySet.with_home``), or the FAQ index for a question
    placed on no public item. Elsewhere — other placements, topic pages, previews — it is
    shown as content without the markup.
    """
    item = page_item(context)
    if context.get("faqs"):
        if item is None:
            return []
        return [faq for faq in context["faqs"] if getattr(faq, "home_path", None) == item.path]
    # The FAQ index shows its questions grouped by topic.
    return [
        faq
        for _topic, entries in context.get("groups") or []
        for faq in entries
        if hasattr(faq, "home_path") and faq.home_path is None
    ]


def _hub_entries(context, item):
    """The items a hub lists, in the order it shows them; empty on pages that are not hubs.

    A hub is the home page or a page of kind "hub"; a view may also pass ``item_list``.
    """
    if context.get("item_list"):
        return _unique(context["item_list"])
    is_hub = item is not None and (
        getattr(item, "is_home", False) or getattr(item, "page_kind", "") == "hub"
    )
    if not is_hub and "roles" not in context:
        return []
    entries = []
    for role in context.get("roles") or []:
        entries.append(role)
        entries.extend(getattr(role, "cluster_pages", []))
    entries.extend(context.get("comparisons") or [])
    entries.extend(context.get("guides") or [])
    entries.extend(context.get("cluster_pages") or [])
    entries.extend(link.target for link in context.get("related_links") or [] if link.target_id)
    return _unique(entries)


def _unique(entries):
    seen, result = set(), []
    for entry in entries:
        path = getattr(entry, "path", None)
        if path and path not in seen:
            seen.add(path)
            result.append(entry)
    return result
