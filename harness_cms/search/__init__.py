"""Site search over the public items and answers, on PostgreSQL or SQLite."""
