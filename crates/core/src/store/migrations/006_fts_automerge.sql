-- Each write transaction adds a segment to the full-text index, and FTS5 merges a level
-- once it holds `automerge` segments (default 4). Merging at 8 halves how often the same
-- entries are rewritten while a refresh writes thousands of articles; a search reads a
-- few more segments, well within its budget.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8);
