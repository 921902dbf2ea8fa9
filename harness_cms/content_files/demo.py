"""The demo cluster in ``demo_content/`` beside this module (format: its FORMAT.md)."""

from pathlib import Path

from harness_cms.content_files.services import import_content

DEMO_DIR = Path(__file__).resolve().parent / "demo_content"


def load_demo():
    """Create what is missing of the demo cluster; what exists (editors' changes included)
    stays as it is. Returns the import report."""
    return import_content(DEMO_DIR, create_only=True)
