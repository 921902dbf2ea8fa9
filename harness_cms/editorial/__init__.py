"""Editorial workflow: publishing, review and scheduling, revisions, previews, edit conflicts,
staff groups."""
