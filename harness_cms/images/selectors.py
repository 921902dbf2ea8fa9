"""Which picture stands for a page in link previews: the editor's choice, the lead image, or a
card the site draws (decision 0061)."""

from dataclasses import dataclass

from django.urls import reverse

from harness_cms.images import cards


@dataclass(frozen=True)
class SocialImage:
    """What ``og:image`` and ``twitter:image`` say about a page's picture."""

    url: str
    alt: str
    width: int = cards.SIZE[0]
    height: int = cards.SIZE[1]


@dataclass(frozen=True)
class DrawnCard:
    card: dict
    key: str
    url: str
    alt: str


def item_card(item, *, site):
    """The card the site draws for ``item`` (a Role, Comparison or Page), and its address."""
    card = item.card()
    key = cards.card_key(card, site_name=site.site_name, brand=site.brand_colour)
    if card.get("left") and card.get("right"):
        alt = f"{card['left']} and {card['right']}, side by side."
    else:
        alt = " — ".join(part for part in (card.get("kicker"), card.get("title")) if part)
    url = reverse("images:item-card", kwargs={"pk": item.pk, "key": key})
    return DrawnCard(card, key, url, alt)


def site_card(site):
    """The card the site draws for pages that are not items."""
    card = {"kicker": "", "title": site.site_name, "line": site.tagline}
    key = cards.card_key(card, site_name=site.site_name, brand=site.brand_colour)
    return DrawnCard(card, key, reverse("images:site-card", kwargs={"key": key}), site.site_name)


def social_image(item, *, site):
    """The picture of a link to ``item`` (None: a page that is not an item) or to the site."""
    if item is None or item.pk is None:  # not an item, or a preview of one not saved yet
        drawn = site_card(site)
        return SocialImage(drawn.url, drawn.alt)
    chosen = item.social_image or item.lead_image
    if chosen is not None and "social.jpg" in chosen.renditions:
        return SocialImage(chosen.url("social.jpg"), chosen.alt or item.title)
    drawn = item_card(item, site=site)
    return SocialImage(drawn.url, drawn.alt)
