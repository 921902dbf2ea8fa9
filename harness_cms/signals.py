"""Signals of the content core."""

from django.dispatch import Signal

# Sent after an item is saved under a new public path (its slug, or its role's, changed).
# Arguments: item (the saved subclass instance), old_path.
path_changed = Signal()
