"""Full-text search: French analysis, the query language, and (later) backends."""
