"""Fill in a real admin form: read the fields the page renders, change some, post it back."""

from bs4 import BeautifulSoup


def form_fields(response):
    """The values a browser would submit from the page's main admin form, unchanged."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id=lambda value: value and value.endswith("_form"))
    assert form is not None, "no admin form on the page"
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or "__prefix__" in name:
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            selected = field.find("option", selected=True)
            data[name] = selected.get("value", "") if selected else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def add_inline_rows(data, prefix, rows):
    """Append ``rows`` (dicts of field -> value) to the inline formset named ``prefix``."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def submit(client, url, changes=None, inlines=None, *, button=None):
    """GET the admin form at ``url``, apply ``changes`` and inline rows, POST it (pressing
    ``button``, say ``_publish``; none: a plain save)."""
    data = form_fields(client.get(url))
    data.update(changes or {})
    if button:
        data[button] = "1"
    for prefix, rows in (inlines or {}).items():
        add_inline_rows(data, prefix, rows)
    return client.post(url, data)


def publish(client, url, changes=None, inlines=None):
    """:func:`submit` with "Publish changes": what a plain save of a live item only drafts."""
    return submit(client, url, changes, inlines, button="_publish")
