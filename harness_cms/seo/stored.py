"""Sitemaps as stored bytes: each file is made once, kept in the cache with what it read, and
answered as it is (or gzipped) until that changes (decision 0140).

A part of the items' sitemap lists the items of one range of primary keys, so it depends on
the blocks of keys it covers (``core.dependencies.block_tags``), not on every write to the
items: a change to an item remakes its part, the index (its dates) and nothing else. The
pages' section and a one-file sitemap read counts and lists of several tables and are made
again when any of those change. Every stored file is also tied to the content generation and
the next scheduled publish or unpublish time, as cached lists are (``cached_for_now``).
"""

import gzip
import hashlib
from dataclasses import dataclass

from harness_cms.core import dependencies
from harness_cms.core.generation import cached_for_generation, generation_for_now
from harness_cms.core.models import ContentItem

KEY = "harness:stored-file:"


@dataclass(frozen=True)
class StoredFile:
    """A file's bytes, gzipped too, with the validators a static file server would send."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str
    last_modified: float | None

    @classmethod
    def of(cls, body, content_type, last_modified=None):
        # mtime=0: the same bytes give the same gzip, whenever they are made.
        return cls(
            body=body,
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
            content_type=content_type,
            etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=last_modified,
        )


def stored(name, make, *, narrow=None):
    """The :class:`StoredFile` ``name``: ``make()``'s, kept until what it read changes."""
    token, until = generation_for_now()
    return cached_for_generation(KEY + name, make, token=token, until=until, narrow=narrow)


def within_keys(model, start, stop):
    """A ``narrow`` for a file that reads only the rows ``start <= pk < stop`` of ``model``'s
    table: it depends on their blocks, not on the whole table."""
    tables = {f"{kind}:{table}" for table in dependencies.tables_of(model) for kind in ("t", "v")}
    blocks = dependencies.block_tags(model, start, stop)

    def narrow(tags):
        return frozenset(tags - tables) | blocks

    return narrow


def items_part(start, stop, make):
    """The stored items' sitemap part of the keys ``start <= pk < stop``."""
    return stored(
        f"sitemap-items:{start}:{stop}", make, narrow=within_keys(ContentItem, start, stop)
    )
