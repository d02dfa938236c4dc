-- Subscriptions, articles, the reader's own state, and full-text search.

CREATE TABLE folders (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE feeds (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL DEFAULT '',
    site_url        TEXT,
    folder_id       INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    lang            TEXT,
    etag            TEXT,
    last_modified   TEXT,
    gone            INTEGER NOT NULL DEFAULT 0,
    retry_at        INTEGER,
    last_fetch_at   INTEGER,
    last_success_at INTEGER,
    last_error      TEXT,
    error_kind      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);

-- feed_id is NULL for an article kept after its feed was removed because the user had
-- starred or annotated it.
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    feed_id      INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    source       TEXT NOT NULL DEFAULT '',
    key          TEXT NOT NULL,
    guid         TEXT NOT NULL,
    url          TEXT,
    title        TEXT NOT NULL,
    author       TEXT,
    published    INTEGER NOT NULL,
    updated      INTEGER,
    content_html TEXT NOT NULL,
    text         TEXT NOT NULL,
    lang         TEXT,
    content_hash TEXT NOT NULL,
    first_seen   INTEGER NOT NULL,
    fetched_at   INTEGER NOT NULL,
    UNIQUE (feed_id, key)
);
CREATE INDEX articles_by_date ON articles (published DESC, id DESC);
CREATE INDEX articles_by_lang ON articles (lang, published DESC);
CREATE INDEX articles_by_feed ON articles (feed_id, published DESC);

CREATE TABLE article_state (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    read       INTEGER NOT NULL DEFAULT 0,
    starred    INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL
);

-- Contentless: the text lives in `articles`; rows are written by the store in the same
-- transaction. CJK characters are indexed one per token (see store/search.rs), so
-- Chinese and Japanese words of any length are found as phrases.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE rowid = old.id;
END;
