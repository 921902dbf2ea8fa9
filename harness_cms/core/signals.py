"""Signals of the content core."""

from django.dispatch import Signal

# Sent after an item is saved under a new public path (its slug, or its role's, changed).
# Arguments: item (the saved subclass instance), old_path, was_public (whether the old address
# was ever public: a draft never published leaves nothing behind to redirect).
path_changed = Signal()

# Sent when what the public sees changes without the content changing: an item or FAQ entry is
# published or unpublished by an editor, or its publish / unpublish time has come (sent by
# ``manage.py publish_scheduled``). Caches and sitemaps listen here.
# Arguments: instances (a list of ContentItem subclasses and/or FAQ entries), went ("live" or
# "offline"), by ("editor" or "schedule").
publication_changed = Signal()
