"""Change notifications: IndexNow and webhooks when a page is published, unpublished or moved."""
