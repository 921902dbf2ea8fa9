"""``python -m tests.operations.stalled_restore FILE MARKER``: run ``restore_site FILE`` and
stop dead at its first progress report, after it has started writing, with ``MARKER`` written
so that the test can kill it there (tests/operations/drill.py)."""

import os
import sys
import time
from pathlib import Path

import django


def main(path, marker):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harness_cms.settings")
    django.setup()
    from django.core.management import call_command

    from harness_cms.operations import backup

    def stall(*args, **kwargs):
        Path(marker).write_text("writing")
        time.sleep(600)

    # One page per step: SQLite's copy reports progress long before it is done.
    backup.SQLITE_PAGES_PER_STEP = 1
    backup.Progress.advance = stall
    call_command("restore_site", path, "--yes")


if __name__ == "__main__":
    main(*sys.argv[1:])
