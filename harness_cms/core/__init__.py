"""The content core: the item every public page is, its visibility rule, what a save derives, the
content generation, cards, redirects, site settings and Markdown."""
