-- Claims found by analysis, their theme and country tags with evidence, the user's
-- decisions on those tags, and per-article topic counts for fast filtering.

CREATE TABLE analyses (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    sentences   INTEGER NOT NULL,
    analyzed_at INTEGER NOT NULL
);

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_index INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    text           TEXT NOT NULL,
    score          REAL NOT NULL,
    reasons        TEXT NOT NULL
);
CREATE INDEX claims_by_article ON claims (article_id, sentence_index);

-- Tags the analysis found; `evidence` is a JSON array of the words that made the tag.
CREATE TABLE claim_tags (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('theme', 'country')),
    value    TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (claim_id, kind, value)
) WITHOUT ROWID;

-- What the user decided about a claim's tags. Keyed by the claim's text, not its id, so
-- decisions survive re-analysis and re-fetching; analysis never writes here.
CREATE TABLE tag_decisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    claim_text TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('theme', 'country')),
    value      TEXT NOT NULL,
    verdict    TEXT NOT NULL CHECK (verdict IN ('confirmed', 'rejected', 'added')),
    decided_at INTEGER NOT NULL,
    UNIQUE (article_id, claim_text, kind, value)
);

-- An article's tags: the union of its claims' tags after the user's decisions, with the
-- number of claims carrying each. Rebuilt whenever claims or decisions change.
CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    claims     INTEGER NOT NULL,
    PRIMARY KEY (article_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX article_topics_by_value ON article_topics (kind, value, article_id);
