"""Links to items by reference: ``[text](item:42)`` in Markdown, ``href="item:42"`` once rendered.

The stored text names the item by its id, so a link follows the item when its slug, its role
or its kind's address changes: the address is looked up when the page is shown
(``harness_cms.core.links``). A fragment may follow the id (``item:42#memory``). Content files
write the item's address instead of its id (``item:/roles/harness-engineer/``), which means the
same item in any database (``harness_cms.content_files``).
"""

import re

# A rendered reference, as the sanitiser lets it through.
HREF = re.compile(r"^item:(\d{1,12})(#[A-Za-z][\w-]{0,80})?$")
# A reference in Markdown: a link's destination, ``](item:42`` followed by a title, a fragment
# or the closing bracket, or a link definition's, ``[name]: item:42``.
_AFTER = r"(?:(?<=\]\()|(?<=\]:))"
MARKDOWN = re.compile(_AFTER + r"(\s*)item:(\d{1,12})(?=[\s)#]|$)", re.MULTILINE)
# The same reference written by address, as content files hold it.
MARKDOWN_BY_ADDRESS = re.compile(_AFTER + r"(\s*)item:(/[^\s)#]*)(?=[\s)#]|$)", re.MULTILINE)
# A link whose destination is a reference, with its text: ``[text](item:42 "title")``.
_MARKDOWN_LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*item:(\d{1,12})(#[\w-]*)?(?:\s+\"[^\"]*\")?\s*\)"
)


def href_target(href):
    """``(item id, fragment)`` when ``href`` is a reference, else None."""
    found = HREF.match(href or "")
    return (int(found.group(1)), found.group(2) or "") if found else None


def referenced_ids(text):
    """The ids of the items that Markdown ``text`` links to by reference."""
    return {int(found.group(2)) for found in MARKDOWN.finditer(text or "")}


def referenced_addresses(text):
    """The addresses that Markdown ``text`` links to by address (the content files' form)."""
    return {found.group(2) for found in MARKDOWN_BY_ADDRESS.finditer(text or "")}


def by_address(text, path_of):
    """``text`` with each reference written by the item's address (``path_of(id)``: the
    address, or None when no such item exists: the link is then left as its text alone).
    Returns ``(text, [ids that had no item])``."""
    missing = []

    def unlink(match):
        if path_of(int(match.group(2))) is None:
            missing.append(int(match.group(2)))
            return match.group(1)
        return match.group(0)

    text = _MARKDOWN_LINK.sub(unlink, text or "")

    def address(match):
        path = path_of(int(match.group(2)))
        return match.group(0) if path is None else f"{match.group(1)}item:{path}"

    return MARKDOWN.sub(address, text), missing


def by_id(text, id_of):
    """``text`` with each reference written by address turned into one by id (``id_of(path)``:
    the id, or None when no item has that address yet: that reference is left as it is)."""

    def reference(match):
        found = id_of(match.group(2))
        return match.group(0) if found is None else f"{match.group(1)}item:{found}"

    return MARKDOWN_BY_ADDRESS.sub(reference, text or "")


def link(text, item_id):
    """Markdown for a link to item ``item_id`` whose text is ``text``."""
    cleaned = re.sub(r"[\[\]\n]+", " ", text).strip() or "link"
    return f"[{cleaned}](item:{item_id})"
