-- Highlights: a span of an article's plain text with an optional note. The quote is kept
-- so the span can be found again when the publisher changes the article; one that can
-- no longer be found is kept, marked detached.

CREATE TABLE highlights (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    quote      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    detached   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX highlights_by_article ON highlights (article_id, start);
