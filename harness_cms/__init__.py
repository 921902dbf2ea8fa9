"""Harness CMS: the project package (settings, root URLs, servers); its sub-packages are apps."""
