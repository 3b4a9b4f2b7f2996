"""One spider per source kind: jsonld, greenhouse, rss."""
