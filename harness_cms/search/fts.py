"""Full-text indexes for site search on SQLite: FTS5 tables with the trigram tokenizer.

PostgreSQL searches through its GIN index (migration 0007). Without an index, search on SQLite
reads every title and text with ``LIKE`` and ranks every match by counting in SQL: seconds at
100,000 FAQs. Each table here indexes the columns search reads (``external content``: the index
keeps no copy of the text, it reads it from the content table) and is kept in step by triggers
on that table. The trigram tokenizer matches any substring of three or more characters,
case-insensitively: the same hits as the ``LIKE`` search it replaces (decision 0046).

The tables and triggers are made after every ``migrate`` (``post_migrate``), not by a migration:
to alter a column, Django rebuilds a SQLite table under a new name and drops the old one, and
the old table's triggers go with it. :func:`ensure` puts back whatever is missing and then
rebuilds that index from its table; when the table is gone (an app migrated to zero), it drops
the index. Nothing happens on other databases, nor where SQLite was built without FTS5.
"""

import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Index:
    name: str  # the FTS5 table
    content: str  # the table it indexes
    columns: tuple

    def triggers(self):
        """``(name, SQL)`` of the three triggers that keep the index in step with its table."""
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{column}" for column in self.columns)
        old = ", ".join(f"old.{column}" for column in self.columns)
        # Identifiers only, all of them constants of this module: no value is ever formatted in.
        insert = f"INSERT INTO {self.name}(rowid, {cols}) VALUES (new.id, {new});"  # noqa: S608
        delete = (
            f"INSERT INTO {self.name}({self.name}, rowid, {cols}) "  # noqa: S608
            f"VALUES ('delete', old.id, {old});"
        )
        on = f"ON {self.content} FOR EACH ROW BEGIN"
        return [
            (f"{self.name}_ai", f"AFTER INSERT {on} {insert} END"),
            (f"{self.name}_ad", f"AFTER DELETE {on} {delete} END"),
            (f"{self.name}_au", f"AFTER UPDATE OF {cols} {on} {delete} {insert} END"),
        ]

    def create_table_sql(self):
        return (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5("
            f"{', '.join(self.columns)}, content='{self.content}', content_rowid='id', "
            "tokenize='trigram')"
        )


# The columns must be those search reads (.selectors): an item's title and plain text, an
# FAQ's question and answer.
ITEMS = Index("harness_cms_contentitem_fts", "harness_cms_contentitem", ("title", "search_text"))
FAQS = Index("faq_faq_fts", "faq_faq", ("question", "answer"))
INDEXES = (ITEMS, FAQS)

# A term shorter than this cannot be looked up in a trigram index.
MIN_TERM_LENGTH = 3


def ensure(using=DEFAULT_DB_ALIAS):
    """Create, repair or drop the indexes of database ``using`` to match its tables.

    Returns the names of the indexes rebuilt. Safe to call any number of times.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {name for (name,) in cursor.fetchall()}
        for index in INDEXES:
            if index.content not in existing:
                if index.name in existing:
                    cursor.execute(f"DROP TABLE {index.name}")
                continue
            wanted = [index.name, *(name for name, _ in index.triggers())]
            if all(name in existing for name in wanted):
                continue
            try:
                cursor.execute(index.create_table_sql())
            except OperationalError as error:  # SQLite built without FTS5 or the trigram tokenizer
                logger.warning("No full-text index for search on SQLite: %s", error)
                return rebuilt
            for name, body in index.triggers():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"INSERT INTO {index.name}({index.name}) VALUES ('rebuild')")  # noqa: S608
            rebuilt.append(index.name)
    return rebuilt


def ensure_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` receiver (connected once, for the harness_cms app)."""
    for name in ensure(using):
        logger.info("Rebuilt the search index %s", name)


def is_missing(error):
    """Whether ``error`` says one of the index tables does not exist (search then falls back)."""
    message = str(error)
    return "no such table" in message and any(index.name in message for index in INDEXES)
