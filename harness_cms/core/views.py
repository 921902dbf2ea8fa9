"""Views and mixins shared by every kind of public item, and the breadcrumbs every page has."""

from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, RedirectView

from faq.models import FAQ
from harness_cms.core.models import RelatedLink, authors_of, tags_of
from harness_cms.core.prepared import PreparedQuery, prepared


def crumb(title, path):
    return {"title": title, "path": path}


def home_crumb():
    return crumb("Home", reverse("pages:home"))


LINK_FIELDS = ("source", "section", "target", "external_url", "title", "blurb", "position")


@prepared("an item's cards and next steps")
def item_links(*, item, now):
    # A card shows its target's title and address only: the target's article text stays
    # in the database.
    return (
        RelatedLink.objects.visible(now=now)
        .filter(source=item)
        .select_related("target")
        .only(*LINK_FIELDS, "target__title", "target__path")
    )


@prepared("an item's questions")
def item_faqs(*, item, now):
    return (
        FAQ.objects.published(now=now)
        .with_home(now=now)
        .filter(placements__item=item)
        .defer(*unrendered_fields(FAQ))
        .order_by("placements__position", "question")
    )


def item_parts(item, *, now=None):
    """What every public item shows besides its own fields: FAQs, next-step links, cards, tags
    and its authors (as public at ``now``, by default the present)."""
    now = now or timezone.now()
    links = item_links.list(item=item.pk, now=now)
    return {
        "item": item,
        "meta_description": item.meta_description,
        "related_links": [link for link in links if link.section == RelatedLink.Section.RELATED],
        "next_links": [link for link in links if link.section == RelatedLink.Section.NEXT],
        "faqs": item_faqs.list(item=item.pk, now=now),
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

    def get_queryset(self, *, now=None):
        queryset = super().get_queryset()
        return (
            queryset.published(now=now)
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
    """A public item with its FAQs, its next-step links and its related cards.

    Every query of the page sees the same moment (``self.now``), and the item's own query is
    prepared once per process (:attr:`public_item`, built by :meth:`item_queryset`).
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.public_item = PreparedQuery(
            f"the public {cls.__name__}", lambda **values: cls().item_queryset(**values)
        )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.now = timezone.now()

    def item_queryset(self, *, slug, now):
        """The public item at ``slug`` (a subclass may take more of the address)."""
        return self.get_queryset(now=now).filter(slug=slug)

    def item_lookup(self):
        """The values :meth:`item_queryset` takes from this request's address."""
        return {"slug": self.kwargs[self.slug_url_kwarg]}

    def get_object(self, queryset=None):
        if queryset is not None:
            return super().get_object(queryset)
        item = self.public_item.first(**self.item_lookup(), now=self.now)
        if item is None:
            raise Http404(f"No {self.model._meta.verbose_name} found matching the query")
        return item

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item_parts(self.object, now=self.now), breadcrumbs=self.get_breadcrumbs())
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
