//! Subscriptions and the per-feed fetch record.

use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::Serialize;

use super::Store;
use crate::feed::ParsedFeed;
use crate::fetch::{ErrorKind, Validators};
use crate::opml::Subscription;
use crate::{time, Error, Result};

/// A subscription to add.
#[derive(Debug, Clone, Default)]
pub struct NewFeed {
    pub url: String,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub folder: Option<String>,
    pub lang: Option<String>,
}

impl From<Subscription> for NewFeed {
    fn from(sub: Subscription) -> Self {
        NewFeed {
            url: sub.url,
            title: Some(sub.title),
            site_url: sub.site_url,
            folder: sub.folder,
            lang: sub.language,
        }
    }
}

/// A subscription with its fetch record and counts.
#[derive(Debug, Clone, Serialize)]
pub struct FeedRow {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub site_url: Option<String>,
    pub folder: Option<String>,
    pub lang: Option<String>,
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
    pub gone: bool,
    pub retry_at: Option<i64>,
    pub last_fetch_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub last_error: Option<String>,
    pub error_kind: Option<String>,
    pub failures: i64,
    pub articles: i64,
    pub unread: i64,
}

impl FeedRow {
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// What writing one fetched feed changed.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ApplyCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What removing a feed did to its articles.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RemovedFeed {
    pub deleted: usize,
    /// Articles the user starred, tagged, annotated or decided on, kept without their feed.
    pub kept: usize,
}

const FEED_COLUMNS: &str =
    "f.id, f.url, f.title, f.site_url, d.name, f.lang, f.etag, f.last_modified, f.gone,
    f.retry_at, f.last_fetch_at, f.last_success_at, f.last_error, f.error_kind, f.failures,
    (SELECT count(*) FROM articles a WHERE a.feed_id = f.id),
    (SELECT count(*) FROM articles a LEFT JOIN article_state s ON s.article_id = a.id
      WHERE a.feed_id = f.id AND coalesce(s.read, 0) = 0)";

fn feed_row(row: &Row<'_>) -> rusqlite::Result<FeedRow> {
    Ok(FeedRow {
        id: row.get(0)?,
        url: row.get(1)?,
        title: row.get(2)?,
        site_url: row.get(3)?,
        folder: row.get(4)?,
        lang: row.get(5)?,
        etag: row.get(6)?,
        last_modified: row.get(7)?,
        gone: row.get(8)?,
        retry_at: row.get(9)?,
        last_fetch_at: row.get(10)?,
        last_success_at: row.get(11)?,
        last_error: row.get(12)?,
        error_kind: row.get(13)?,
        failures: row.get(14)?,
        articles: row.get(15)?,
        unread: row.get(16)?,
    })
}

impl Store {
    /// Adds a subscription; returns its id and whether it is new (an existing URL is kept
    /// as it is).
    pub fn add_feed(&mut self, feed: &NewFeed) -> Result<(i64, bool)> {
        let url = feed.url.trim();
        if url.is_empty() {
            return Err(Error::Invalid("a feed needs a URL".to_owned()));
        }
        self.write(|tx| {
            if let Some(id) = tx
                .query_row("SELECT id FROM feeds WHERE url = ?1", [url], |r| r.get(0))
                .optional()?
            {
                return Ok((id, false));
            }
            let folder_id = match feed.folder.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
                Some(name) => Some(folder_id(tx, name)?),
                None => None,
            };
            tx.execute(
                "INSERT INTO feeds (url, title, site_url, folder_id, lang, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    url,
                    feed.title.as_deref().map(str::trim).unwrap_or_default(),
                    feed.site_url,
                    folder_id,
                    feed.lang,
                    time::now()
                ],
            )?;
            Ok((tx.last_insert_rowid(), true))
        })
    }

    /// Every subscription, by folder then title.
    pub fn feeds(&self) -> Result<Vec<FeedRow>> {
        let sql = format!(
            "SELECT {FEED_COLUMNS} FROM feeds f LEFT JOIN folders d ON d.id = f.folder_id
             ORDER BY d.name IS NULL, d.name COLLATE NOCASE, f.title COLLATE NOCASE, f.id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map([], feed_row)?
            .collect::<rusqlite::Result<Vec<_>>>();
        rows.map_err(|e| self.map_err(e))
    }

    /// One subscription by id.
    pub fn feed(&self, id: i64) -> Result<FeedRow> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds f LEFT JOIN folders d ON d.id = f.folder_id WHERE f.id = ?1");
        self.conn
            .query_row(&sql, [id], feed_row)
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no feed with id {id}")))
    }

    /// A subscription by id or by URL, as a user types it.
    pub fn find_feed(&self, id_or_url: &str) -> Result<FeedRow> {
        if let Ok(id) = id_or_url.trim().parse::<i64>() {
            return self.feed(id);
        }
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM feeds WHERE url = ?1",
                [id_or_url.trim()],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => self.feed(id),
            None => Err(Error::NotFound(format!("no feed with URL {id_or_url}"))),
        }
    }

    /// Removes a subscription and its articles, except those the user starred, tagged,
    /// annotated or decided on, which are kept without a feed: nothing a user wrote is lost.
    pub fn remove_feed(&mut self, id: i64) -> Result<RemovedFeed> {
        self.feed(id)?;
        self.write(|tx| {
            let deleted = tx.execute(
                "DELETE FROM articles WHERE feed_id = ?1 AND id NOT IN (SELECT article_id FROM article_state WHERE starred = 1)
                   AND id NOT IN (SELECT article_id FROM tag_decisions)
                   AND id NOT IN (SELECT article_id FROM article_tags)
                   AND id NOT IN (SELECT article_id FROM notes)
                   AND id NOT IN (SELECT article_id FROM highlights)",
                [id],
            )?;
            let kept = tx.execute(
                "UPDATE articles SET source = (SELECT title FROM feeds WHERE id = ?1) WHERE feed_id = ?1",
                [id],
            )?;
            tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
            tx.execute("DELETE FROM folders WHERE id NOT IN (SELECT folder_id FROM feeds WHERE folder_id IS NOT NULL)", [])?;
            Ok(RemovedFeed { deleted, kept })
        })
    }

    /// The ids of the feeds in a folder (case-insensitive name).
    pub fn folder_feeds(&self, folder: &str) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT f.id FROM feeds f JOIN folders d ON d.id = f.folder_id WHERE d.name = ?1 ORDER BY f.id")?;
        let ids = stmt
            .query_map([folder.trim()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Subscriptions for OPML export.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        Ok(self
            .feeds()?
            .into_iter()
            .map(|f| Subscription {
                title: if f.title.is_empty() {
                    f.url.clone()
                } else {
                    f.title
                },
                url: f.url,
                site_url: f.site_url,
                language: f.lang,
                folder: f.folder,
            })
            .collect())
    }

    /// Records a fetch that found nothing new.
    pub fn record_not_modified(&mut self, id: i64, moved_to: Option<&str>) -> Result<()> {
        self.write(|tx| {
            move_feed(tx, id, moved_to)?;
            tx.execute(
                "UPDATE feeds SET last_fetch_at = ?2, last_success_at = ?2, last_error = NULL, error_kind = NULL,
                 failures = 0, retry_at = NULL WHERE id = ?1",
                params![id, time::now()],
            )?;
            Ok(())
        })
    }

    /// Records a 410: the feed is not fetched again until the user re-adds it.
    pub fn record_gone(&mut self, id: i64) -> Result<()> {
        self.record_failure(
            id,
            ErrorKind::Gone,
            "410 Gone: the publisher removed this feed; it is no longer fetched",
            None,
        )?;
        self.write(|tx| Ok(tx.execute("UPDATE feeds SET gone = 1 WHERE id = ?1", [id])?))?;
        Ok(())
    }

    /// Records a failed fetch (consecutive failures are counted); `retry_at` pushes the
    /// next fetch back.
    pub fn record_failure(
        &mut self,
        id: i64,
        kind: ErrorKind,
        message: &str,
        retry_at: Option<i64>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE feeds SET last_fetch_at = ?2, last_error = ?3, error_kind = ?4, failures = failures + 1,
                 retry_at = ?5 WHERE id = ?1",
                params![id, time::now(), message, kind.as_str(), retry_at],
            )?;
            Ok(())
        })
    }

    /// Writes a fetched feed in one transaction: new articles are inserted, changed ones
    /// updated in place (the user's state untouched), and the fetch record updated.
    /// `on_article` is called for every new or changed article inside the transaction (the
    /// analysis hook), so a crash leaves either the whole feed or none of it.
    pub fn apply_feed(
        &mut self,
        id: i64,
        parsed: &ParsedFeed,
        validators: &Validators,
        moved_to: Option<&str>,
        mut on_article: impl FnMut(&Transaction<'_>, WrittenArticle, &crate::feed::Item) -> Result<()>,
    ) -> Result<ApplyCounts> {
        let update = FeedUpdate {
            id,
            parsed,
            validators,
            moved_to,
        };
        let mut counts = self.apply_feeds(&[update], |_, tx, article, item| {
            on_article(tx, article, item)
        })?;
        Ok(counts.pop().unwrap_or_default())
    }

    /// Writes several fetched feeds in one transaction (each whole, as [`Store::apply_feed`]
    /// does): committing once for many small feeds writes each touched page once.
    /// `on_article` also receives the index of the article's feed in `updates`.
    pub fn apply_feeds(
        &mut self,
        updates: &[FeedUpdate<'_>],
        mut on_article: impl FnMut(
            usize,
            &Transaction<'_>,
            WrittenArticle,
            &crate::feed::Item,
        ) -> Result<()>,
    ) -> Result<Vec<ApplyCounts>> {
        let now = time::now();
        self.write(|tx| {
            let mut all = Vec::with_capacity(updates.len());
            for (index, update) in updates.iter().enumerate() {
                let mut hook =
                    |tx: &Transaction<'_>, article: WrittenArticle, item: &crate::feed::Item| {
                        on_article(index, tx, article, item)
                    };
                all.push(apply_in(tx, update, now, &mut hook)?);
            }
            Ok(all)
        })
    }
}

/// An article just written, as the per-article hook sees it.
#[derive(Debug, Clone, Copy)]
pub struct WrittenArticle {
    pub id: i64,
    /// A new row: nothing hangs off it yet (no claims, topics or decisions), so the hook
    /// has nothing to replace.
    pub inserted: bool,
}

/// A fetched feed to write.
pub struct FeedUpdate<'a> {
    pub id: i64,
    pub parsed: &'a ParsedFeed,
    pub validators: &'a Validators,
    /// The feed's new address after a permanent redirect.
    pub moved_to: Option<&'a str>,
}

fn apply_in(
    tx: &Transaction<'_>,
    update: &FeedUpdate<'_>,
    now: i64,
    on_article: &mut impl FnMut(&Transaction<'_>, WrittenArticle, &crate::feed::Item) -> Result<()>,
) -> Result<ApplyCounts> {
    let FeedUpdate {
        id,
        parsed,
        validators,
        moved_to,
    } = *update;
    move_feed(tx, id, moved_to)?;
    let counts = write_items(tx, id, &parsed.items, now, on_article)?;
    tx.execute(
        "UPDATE feeds SET
           title = CASE WHEN title = '' THEN ?2 ELSE title END,
           site_url = coalesce(site_url, ?3), lang = coalesce(lang, ?4),
           etag = ?5, last_modified = ?6, last_fetch_at = ?7, last_success_at = ?7,
           last_error = NULL, error_kind = NULL, failures = 0, retry_at = NULL, gone = 0
         WHERE id = ?1",
        params![
            id,
            parsed.title,
            parsed.site_url,
            parsed.language,
            validators.etag,
            validators.last_modified,
            now
        ],
    )?;
    Ok(counts)
}

/// Inserts or updates items (first of each key only), calling `on_article` for every new
/// or changed one.
fn write_items(
    tx: &Transaction<'_>,
    feed_id: i64,
    items: &[crate::feed::Item],
    now: i64,
    on_article: &mut impl FnMut(&Transaction<'_>, WrittenArticle, &crate::feed::Item) -> Result<()>,
) -> Result<ApplyCounts> {
    let mut counts = ApplyCounts::default();
    let mut seen = std::collections::HashSet::new();
    for item in items.iter().filter(|item| seen.insert(item.key.as_str())) {
        match super::articles::upsert(tx, feed_id, item, now)? {
            super::articles::Upsert::Inserted(id) => {
                counts.new += 1;
                on_article(tx, WrittenArticle { id, inserted: true }, item)?;
            }
            super::articles::Upsert::Updated(id) => {
                counts.updated += 1;
                on_article(
                    tx,
                    WrittenArticle {
                        id,
                        inserted: false,
                    },
                    item,
                )?;
            }
            super::articles::Upsert::Unchanged => counts.unchanged += 1,
        }
    }
    Ok(counts)
}

impl Store {
    /// Writes items that did not come from fetching the feed (imports), leaving the feed's
    /// fetch record alone. One transaction.
    pub fn import_items(
        &mut self,
        feed_id: i64,
        items: &[crate::feed::Item],
        mut on_article: impl FnMut(&Transaction<'_>, WrittenArticle, &crate::feed::Item) -> Result<()>,
    ) -> Result<ApplyCounts> {
        let now = time::now();
        self.write(|tx| write_items(tx, feed_id, items, now, &mut on_article))
    }

    /// The article with this identity in this feed.
    pub fn find_article(&self, feed_id: i64, key: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM articles WHERE feed_id = ?1 AND key = ?2",
                params![feed_id, key],
                |r| r.get(0),
            )
            .optional()?)
    }
}

fn folder_id(tx: &Transaction<'_>, name: &str) -> Result<i64> {
    tx.execute("INSERT OR IGNORE INTO folders (name) VALUES (?1)", [name])?;
    Ok(
        tx.query_row("SELECT id FROM folders WHERE name = ?1", [name], |r| {
            r.get(0)
        })?,
    )
}

/// A permanent redirect moves the subscription to its new address, unless the user is
/// already subscribed to that address too.
fn move_feed(tx: &Transaction<'_>, id: i64, moved_to: Option<&str>) -> Result<()> {
    if let Some(url) = moved_to {
        tx.execute(
            "UPDATE feeds SET url = ?2 WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?2)",
            params![id, url],
        )?;
    }
    Ok(())
}
