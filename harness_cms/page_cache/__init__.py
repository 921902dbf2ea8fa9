"""Whole public pages answered from the cache until the content generation moves."""
