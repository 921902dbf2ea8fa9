"""What search engines read: head tags, structured data, sitemaps, feed, robots and llms.txt,
redirects, and the cluster's link graph and audit."""
