"""Plain-text helpers every app shares: one way to shorten text, one way to write a moment,
one meta-description limit."""

from django.utils import formats, timezone

# What search results show of a meta description; longer ones are cut off.
META_DESCRIPTION_MAX = 160
# Below this a description says too little to be chosen as the snippet.
META_DESCRIPTION_MIN = 50


def shorten(text, limit, *, at=""):
    """``text`` if it has at most ``limit`` characters, else its start with "…", ``limit``
    characters in all; ``at`` (" " for a word, "," for an item of a list) cuts at the last such
    separator, so no word or item is cut in half."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if at and at in cut:
        cut = cut.rsplit(at, 1)[0]
    return cut.rstrip() + "…"


def normalise_newlines(text):
    """``text`` with Windows (CRLF) and old Mac (CR) line endings as plain LF: browsers send
    a textarea's line breaks as CRLF, and a change of line endings alone is no change."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def moment(value):
    """``value`` (an aware datetime) as the admin writes every moment: "2 Dec 2026, 14:05 UTC",
    in the site's time zone (the format is ``DATETIME_FORMAT`` of ``harness_cms/core/formats``)."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
