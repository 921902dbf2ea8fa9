"""Content as Markdown files: export, import, the demo content and demo accounts."""
