"""Views and mixins shared by every kind of public item, and the breadcrumbs every page has."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, RedirectView

from faq.models import FAQ
from harness_cms.core.models import RelatedLink, authors_of, tags_of


def crumb(title, path):
    return {"title": title, "path": path}


def home_crumb():
    return crumb("Home", reverse("pages:home"))


LINK_FIELDS = ("source", "section", "target", "external_url", "title", "blurb", "position")


def item_parts(item):
    """What every public item shows besides its own fields: FAQs, next-step links, cards, tags
    and its authors."""
    # A card shows its target's title and address only: the target's article text stays
    # in the database.
    links = list(
        RelatedLink.objects.visible()
        .filter(source=item)
        .select_related("target")
        .only(*LINK_FIELDS, "target__title", "target__path")
    )
    return {
        "item": item,
        "meta_description": item.meta_description,
        "related_links": [link for link in links if link.section == RelatedLink.Section.RELATED],
        "next_links": [link for link in links if link.section == RelatedLink.Section.NEXT],
        "faqs": list(
            FAQ.objects.published()
            .with_home()
            .filter(placements__item=item)
            .order_by("placements__position", "question")
        ),
        "tags": tags_of(item),
        # The home hub is the site's own page: it shows no byline.
        "authors": [] if getattr(item, "is_home", False) else authors_of(item),
    }


def without_shown(links, shown):
    """The cards of ``links`` whose page is not among ``shown`` (item ids the page already
    lists): no link list is repeated on one page."""
    return [link for link in links if link.target_id not in shown]


class PublishedItemMixin:
    """Owns the queryset of a public detail view: the published items only."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return (
            queryset.published()
            .with_images()
            .with_tag_list()
            .with_byline_list()
            .defer(*unrendered_fields(queryset.model))
        )


def unrendered_fields(model):
    """What a public page of ``model`` never reads: the Markdown each ``*_html`` field was
    rendered from, and the plain text kept for search (each up to 200 KB)."""
    names = {field.name for field in model._meta.concrete_fields}
    return sorted({name for name in names if f"{name}_html" in names} | ({"search_text"} & names))


class ContentDetailView(PublishedItemMixin, DetailView):
    """A public item with its FAQs, its next-step links and its related cards."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item_parts(self.object), breadcrumbs=self.get_breadcrumbs())
        return context

    def get_breadcrumbs(self):
        """Home first, this item last; the visible trail and BreadcrumbList share it."""
        return [home_crumb(), crumb(self.object.title, self.object.path)]


@method_decorator(cache_control(max_age=86400, public=True), name="dispatch")
class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
