"""Addresses that depend on the URLconf alone, reversed once per process instead of on every
page (the header's sections, a topic's address, whether a path is an item's)."""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def urlconf_key():
    """``(URLconf, script prefix)``: what a reversed or resolved address depends on."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


def kept_reverse(name, *args):
    """``reverse(name, args=args)``, or "" when no address can carry ``args`` (as
    ``{% url ... as var %}`` gives); kept per URLconf and script prefix."""
    return _reverse(name, args, *urlconf_key())


@functools.lru_cache(maxsize=4096)
def _reverse(name, args, urlconf, script_prefix):
    try:
        return reverse(name, args=args, urlconf=urlconf)
    except NoReverseMatch:
        return ""
