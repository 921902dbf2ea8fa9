"""Paged lists with addresses for their pages (``/faq/``, ``/faq/page/2/``...): one rule for
which page numbers exist, one for their addresses, one pager context for the templates."""

from django.core.paginator import InvalidPage
from django.http import Http404
from django.urls import reverse


class PageNumberConverter:
    """A page number as its one address spells it: no leading zero (``/faq/page/02/`` is not
    page 2's second address but a 404), at most nine digits. Registered as ``<page:…>`` by
    the core's app config."""

    regex = "[1-9][0-9]{0,8}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def numbered_url(name, number, **kwargs):
    """The address of page ``number`` of the list at URL ``name``: the list's own address for
    the first page, URL ``<name>-page`` with the number for the others."""
    if number == 1:
        return reverse(name, kwargs=kwargs)
    return reverse(f"{name}-page", kwargs={**kwargs, "number": number})


def numbered_page(paginator, kwargs, *, what):
    """The page of ``paginator`` a view's URL ``kwargs`` name (``number``; none: the first).

    Http404 for a page that does not exist, and for ``…/page/1/``: the first page's address
    is the list's own, and one page must not answer at two addresses.
    """
    number = kwargs.get("number", 1)
    if "number" in kwargs and number == 1:
        raise Http404(f"The first page of {what} has no number in its address.")
    try:
        return paginator.page(number)
    except InvalidPage as error:
        raise Http404(f"No such page of {what}.") from error


def pager_context(page, url_of):
    """What a paged list's templates need about its neighbours (``includes/pager.html``):
    ``url_of(number)`` gives the address of page ``number``."""
    return {
        "page": page,
        "canonical_path": url_of(page.number),
        "previous_url": url_of(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url_of(page.next_page_number()) if page.has_next() else "",
    }


def page_count(count, per_page):
    """How many pages a list of ``count`` entries has, ``per_page`` to a page (an empty list
    still has its first page)."""
    return max(1, -(-count // per_page))


def numbered_paths(name, count, per_page, **kwargs):
    """The address of every page of the list at URL ``name`` holding ``count`` entries."""
    return [
        numbered_url(name, number, **kwargs) for number in range(1, page_count(count, per_page) + 1)
    ]
