//! Articles: writing fetched items, listing with filters, reading one, the reader's state.

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::search::fts_text;
use super::Store;
use crate::feed::Item;
use crate::{Error, Result};

/// Filters for listing articles; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub lang: Option<String>,
    pub feed_id: Option<i64>,
    pub folder: Option<String>,
    /// A theme id found (or added by the user) in one of the article's claims.
    pub theme: Option<String>,
    /// A country code (ISO 3166-1 alpha-2 or EU) likewise.
    pub country: Option<String>,
    /// A user tag (any case).
    pub tag: Option<String>,
    /// Published at or after (Unix seconds).
    pub since: Option<i64>,
    /// Published before (Unix seconds).
    pub until: Option<i64>,
    pub unread_only: bool,
    pub starred_only: bool,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// An article as shown in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: i64,
    pub feed_id: Option<i64>,
    pub source: String,
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub lang: Option<String>,
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub published: i64,
    pub read: bool,
    pub starred: bool,
}

/// An article with its content.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    pub author: Option<String>,
    /// Sanitised HTML, safe to display.
    pub content_html: String,
    /// Plain text, as analysed and indexed.
    pub text: String,
}

pub(super) const SUMMARY_COLUMNS: &str =
    "a.id, a.feed_id, coalesce(f.title, a.source), a.guid, a.url, a.title, a.lang,
    a.published, coalesce(s.read, 0), coalesce(s.starred, 0)";

pub(super) const SUMMARY_JOINS: &str =
    "FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id LEFT JOIN article_state s ON s.article_id = a.id";

pub(super) fn summary_row(row: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: row.get(0)?,
        feed_id: row.get(1)?,
        source: row.get(2)?,
        guid: row.get(3)?,
        url: row.get(4)?,
        title: row.get(5)?,
        lang: row.get(6)?,
        published: row.get(7)?,
        read: row.get(8)?,
        starred: row.get(9)?,
    })
}

pub(super) enum Upsert {
    Inserted(i64),
    Updated(i64),
    Unchanged,
}

/// Inserts an item, or updates it in place when the feed changed it. The reader's state
/// (read, starred, tags, notes) lives in other tables and is never touched here.
pub(super) fn upsert(tx: &Transaction<'_>, feed_id: i64, item: &Item, now: i64) -> Result<Upsert> {
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT id, content_hash FROM articles WHERE feed_id = ?1 AND key = ?2")?
        .query_row(params![feed_id, item.key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let outcome = match existing {
        Some((_, hash)) if hash == item.content_hash => return Ok(Upsert::Unchanged),
        Some((id, _)) => {
            // ?2 (the key) is unchanged by definition; both statements share one layout.
            tx.prepare_cached(
                "UPDATE articles SET guid = ?3, url = ?4, title = ?5, author = ?6, published = coalesce(?7, published),
                   updated = ?8, content_html = ?9, text = ?10, lang = ?11, content_hash = ?12, fetched_at = ?13
                 WHERE id = ?1",
            )?
            .execute(item_params(id, item, now))?;
            tx.prepare_cached("DELETE FROM articles_fts WHERE rowid = ?1")?
                .execute([id])?;
            super::highlights::reanchor(tx, id, &item.text)?;
            Upsert::Updated(id)
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO articles (feed_id, key, guid, url, title, author, published, updated, content_html, text,
                   lang, content_hash, first_seen, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, ?13), ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?
            .execute(item_params(feed_id, item, now))?;
            Upsert::Inserted(tx.last_insert_rowid())
        }
    };
    let id = match outcome {
        Upsert::Inserted(id) | Upsert::Updated(id) => id,
        Upsert::Unchanged => return Ok(outcome),
    };
    tx.prepare_cached("INSERT INTO articles_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![id, fts_text(&item.title), fts_text(&item.text)])?;
    Ok(outcome)
}

/// The theme or country when it is the filter's only condition.
fn single_topic(filter: &ArticleFilter) -> Option<(&'static str, &str)> {
    let topic = match (&filter.theme, &filter.country) {
        (Some(theme), None) => ("theme", theme.as_str()),
        (None, Some(country)) => ("country", country.as_str()),
        _ => return None,
    };
    let ArticleFilter {
        lang,
        feed_id,
        folder,
        tag,
        since,
        until,
        unread_only,
        starred_only,
        ..
    } = filter;
    let alone = lang.is_none()
        && feed_id.is_none()
        && folder.is_none()
        && tag.is_none()
        && since.is_none()
        && until.is_none();
    (alone && !unread_only && !starred_only).then_some(topic)
}

/// How a theme or country condition is tested. Both give the same rows; the cost differs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TopicTest {
    /// Look each article up as the date index is walked: cheapest when matches are
    /// common, since a page stops after its hundred newest.
    PerArticle,
    /// Collect the topic's articles first: cheapest for counting and for rare topics,
    /// where walking the dates would visit most of the database.
    AsSet,
}

/// A topic that tags less than one article in this many is rare (see [`TopicTest`]).
const RARE_TOPIC: i64 = 20;

/// The WHERE clause (possibly empty) and its parameters for a filter.
fn where_clause(filter: &ArticleFilter, topics: TopicTest) -> (String, Vec<Value>) {
    let mut clauses: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    if let Some(lang) = &filter.lang {
        clauses.push("a.lang = ?");
        values.push(Value::Text(lang.to_lowercase()));
    }
    if let Some(feed) = filter.feed_id {
        clauses.push("a.feed_id = ?");
        values.push(Value::Integer(feed));
    }
    if let Some(folder) = &filter.folder {
        clauses.push("f.folder_id = (SELECT id FROM folders WHERE name = ?)");
        values.push(Value::Text(folder.clone()));
    }
    for (kind, value) in [("theme", &filter.theme), ("country", &filter.country)] {
        if let Some(value) = value {
            clauses.push(match topics {
                TopicTest::PerArticle => "EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.kind = ? AND t.value = ?)",
                TopicTest::AsSet => "a.id IN (SELECT article_id FROM article_topics WHERE kind = ? AND value = ?)",
            });
            values.push(Value::Text(kind.to_owned()));
            values.push(Value::Text(value.clone()));
        }
    }
    if let Some(tag) = &filter.tag {
        clauses.push("a.id IN (SELECT article_id FROM article_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?))");
        values.push(Value::Text(tag.clone()));
    }
    if let Some(since) = filter.since {
        clauses.push("a.published >= ?");
        values.push(Value::Integer(since));
    }
    if let Some(until) = filter.until {
        clauses.push("a.published < ?");
        values.push(Value::Integer(until));
    }
    if filter.unread_only {
        clauses.push("coalesce(s.read, 0) = 0");
    }
    if filter.starred_only {
        clauses.push("coalesce(s.starred, 0) = 1");
    }
    if clauses.is_empty() {
        return (String::new(), values);
    }
    (format!("WHERE {}", clauses.join(" AND ")), values)
}

/// The FROM clause with only the joins `filter`'s WHERE clause needs.
fn filter_joins(filter: &ArticleFilter) -> String {
    let mut joins = String::from("FROM articles a");
    if filter.folder.is_some() {
        joins.push_str(" LEFT JOIN feeds f ON f.id = a.feed_id");
    }
    if filter.unread_only || filter.starred_only {
        joins.push_str(" LEFT JOIN article_state s ON s.article_id = a.id");
    }
    joins
}

/// An item's columns in the layout the insert and update statements share: ?1 the
/// feed (insert) or article (update), then key, guid, url, title, author, published,
/// updated, content_html, text, lang, content_hash, and ?13 the time of this write.
fn item_params(owner: i64, item: &Item, now: i64) -> impl rusqlite::Params + '_ {
    (
        owner,
        &item.key,
        &item.guid,
        &item.url,
        &item.title,
        &item.author,
        item.published,
        item.updated,
        &item.content_html,
        &item.text,
        &item.lang,
        &item.content_hash,
        now,
    )
}

impl Store {
    /// Articles matching `filter`, newest first. The page is chosen on the narrowest rows
    /// (often the date index alone) and only its hundred rows are joined: a deep page of a
    /// virtualised list skips tens of thousands of rows.
    pub fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>> {
        let (where_sql, mut values) = where_clause(filter, self.topic_test(filter)?);
        let joins = filter_joins(filter);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} {SUMMARY_JOINS} WHERE a.id IN (
               SELECT a.id {joins} {where_sql} ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?)
             ORDER BY a.published DESC, a.id DESC"
        );
        values.push(Value::Integer(filter.limit.map_or(-1, |l| l as i64)));
        values.push(Value::Integer(filter.offset as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), summary_row)?
            .collect::<rusqlite::Result<Vec<_>>>();
        rows.map_err(|e| self.map_err(e))
    }

    /// How many articles match `filter` (its limit and offset ignored). Joins only what
    /// the filter needs: counting is on the hot path of every list view.
    pub fn count_articles(&self, filter: &ArticleFilter) -> Result<i64> {
        if let Some((kind, value)) = single_topic(filter) {
            return self.topic_count(kind, value);
        }
        let (where_sql, values) = where_clause(filter, TopicTest::AsSet);
        let joins = filter_joins(filter);
        let sql = format!("SELECT count(*) {joins} {where_sql}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row(rusqlite::params_from_iter(values), |r| r.get(0))?)
    }

    /// How many articles carry a theme or country: the covering index answers without
    /// touching any article row.
    fn topic_count(&self, kind: &str, value: &str) -> Result<i64> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT count(*) FROM article_topics WHERE kind = ?1 AND value = ?2")?;
        Ok(stmt.query_row([kind, value], |r| r.get(0))?)
    }

    /// The cheaper way to test the filter's topics when listing: per article unless one
    /// of them is rare (its count comes from a covering index, and the article count is
    /// bounded by the largest id, both without reading any article).
    fn topic_test(&self, filter: &ArticleFilter) -> Result<TopicTest> {
        let topics = [("theme", &filter.theme), ("country", &filter.country)];
        let mut rarest: Option<i64> = None;
        for (kind, value) in topics {
            let Some(value) = value else { continue };
            let count = self.topic_count(kind, value)?;
            rarest = Some(rarest.map_or(count, |r| r.min(count)));
        }
        let Some(rarest) = rarest else {
            return Ok(TopicTest::PerArticle);
        };
        let articles: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM articles", [], |r| {
                    r.get(0)
                })?;
        Ok(if rarest * RARE_TOPIC < articles {
            TopicTest::AsSet
        } else {
            TopicTest::PerArticle
        })
    }

    /// One article with its content.
    pub fn article(&self, id: i64) -> Result<Article> {
        let sql = format!("SELECT {SUMMARY_COLUMNS}, a.author, a.content_html, a.text {SUMMARY_JOINS} WHERE a.id = ?1");
        self.conn
            .query_row(&sql, [id], |row| {
                Ok(Article {
                    summary: summary_row(row)?,
                    author: row.get(10)?,
                    content_html: row.get(11)?,
                    text: row.get(12)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no article with id {id}")))
    }

    /// An article's identity within its feed (guid, canonical link or hash).
    pub fn article_key(&self, id: i64) -> Result<String> {
        self.conn
            .query_row("SELECT key FROM articles WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no article with id {id}")))
    }

    /// Marks an article read or unread.
    pub fn set_read(&mut self, id: i64, read: bool) -> Result<()> {
        self.set_state(id, "read", read)
    }

    /// Stars or unstars an article.
    pub fn set_starred(&mut self, id: i64, starred: bool) -> Result<()> {
        self.set_state(id, "starred", starred)
    }

    fn set_state(&mut self, id: i64, column: &'static str, on: bool) -> Result<()> {
        self.article(id)?;
        let sql = format!(
            "INSERT INTO article_state (article_id, {column}, changed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (article_id) DO UPDATE SET {column} = excluded.{column}, changed_at = excluded.changed_at"
        );
        self.write(|tx| Ok(tx.execute(&sql, params![id, on, crate::time::now()])?))?;
        Ok(())
    }

    /// Article counts per language, most first.
    pub fn language_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT coalesce(lang, '?'), count(*) FROM articles GROUP BY lang ORDER BY count(*) DESC, lang",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
