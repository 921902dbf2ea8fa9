"""Harness CMS: project settings and the shared content core."""
