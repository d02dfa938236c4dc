//! The SQLite store: one file holds subscriptions, articles, analysis and everything the
//! user wrote. Schema changes are versioned migrations; every feed is written in one
//! transaction so a crash never leaves half a feed.

mod analysis;
mod articles;
mod backup;
mod checkpoint;
mod feeds;
mod highlights;
mod search;
mod user;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, ErrorCode};
use rusqlite_migration::{Migrations, M};

pub(crate) use analysis::write_analysis;
pub use analysis::AnalysisRows;
pub use analysis::{DecisionRecord, StoredClaim, TagDecision, TagView, Topic, Verdict};
pub use articles::{Article, ArticleFilter, ArticleSummary};
pub use backup::RestoreReport;
pub use checkpoint::BackgroundCheckpoints;
pub use feeds::{ApplyCounts, FeedRow, FeedUpdate, NewFeed, RemovedFeed, WrittenArticle};
pub use highlights::Highlight;
pub use search::{SearchHit, Snippet};
pub use user::{Note, TagCount};

use crate::{Error, Result};

/// How long a writer waits for another (the app and the CLI may share the file).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a waiting connection tries again. SQLite's own busy timeout backs off to
/// 100 ms between tries, and a waiting writer then rarely catches the short pauses between
/// a refresh's transactions: a user's tag could wait for the whole refresh.
const BUSY_RETRY: Duration = Duration::from_millis(2);

/// Tries within [`BUSY_TIMEOUT`].
const BUSY_RETRIES: i32 = (BUSY_TIMEOUT.as_millis() / BUSY_RETRY.as_millis()) as i32;

/// The least time between a bulk writer's commit and its next transaction, longer than
/// [`BUSY_RETRY`]: other writers (the user tagging in the app, the CLI) get a window.
const BULK_PAUSE: Duration = Duration::from_millis(5);

/// Waits [`BUSY_RETRY`] and says whether to try again, for up to [`BUSY_TIMEOUT`].
fn wait_and_retry(retries: i32) -> bool {
    std::thread::sleep(BUSY_RETRY);
    retries < BUSY_RETRIES
}

/// Makes `conn` wait for other connections as [`wait_and_retry`] says.
fn wait_when_busy(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_handler(Some(wait_and_retry))
}

/// Page size of new databases. Articles are kilobytes of text with their claims and index
/// entries; 16 KiB pages (SQLite's default is 4) write the same data in a quarter of the
/// page writes and splits, so a refresh spends a quarter less time in the kernel.
const PAGE_SIZE: i64 = 16_384;

/// The schema version this build writes (SQLite's `user_version` after migrating).
pub const SCHEMA_VERSION: usize = 6;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_feeds_articles.sql")),
        M::up(include_str!("migrations/002_claims.sql")),
        M::up(include_str!("migrations/003_user_tags_notes_settings.sql")),
        M::up(include_str!("migrations/004_highlights.sql")),
        M::up(include_str!("migrations/005_claim_tags_inline.sql")),
        M::up(include_str!("migrations/006_fts_automerge.sql")),
    ])
}

/// An open Veille database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// A bulk writer leaves [`BULK_PAUSE`] between its transactions.
    bulk: bool,
    last_commit: Option<Instant>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::file(parent, e))?;
        }
        let mut conn = Connection::open(path).map_err(|e| locked_or(e, path))?;
        wait_when_busy(&conn)?;
        // Takes effect only on a new, empty file (an existing one keeps its page size).
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| locked_or(e, path))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => locked_or(err, path),
            other => Error::Migration(other),
        })?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            bulk: false,
            last_commit: None,
        })
    }

    /// The default database: `veille.db` in the platform's data directory.
    pub fn default_path() -> Result<PathBuf> {
        let dirs = directories::ProjectDirs::from("", "", "veille").ok_or_else(|| {
            Error::Invalid("no home directory to keep the database in; pass --db".to_owned())
        })?;
        Ok(dirs.data_dir().join("veille.db"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Gives this connection 16 MiB of page cache (SQLite's default is 2): writing many
    /// articles touches many index pages, and it doubles the writer's speed. Connections
    /// that only read keep the default, which keeps the app small. From now on each write
    /// transaction also starts at least [`BULK_PAUSE`] after the previous one committed.
    pub fn prepare_for_bulk_writes(&mut self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -16384)?;
        self.bulk = true;
        Ok(())
    }

    /// Maps SQLite's busy/locked errors to a message that names the file.
    pub(crate) fn map_err(&self, error: rusqlite::Error) -> Error {
        locked_or(error, &self.path)
    }

    /// Runs `work` in one write transaction (taken immediately, so two writers queue on
    /// the busy timeout instead of failing half-way).
    pub(crate) fn write<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if let Some(committed) = self.last_commit.filter(|_| self.bulk) {
            std::thread::sleep(BULK_PAUSE.saturating_sub(committed.elapsed()));
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| locked_or(e, &path))?;
        let value = work(&tx)?;
        tx.commit().map_err(|e| locked_or(e, &path))?;
        self.last_commit = Some(Instant::now());
        Ok(value)
    }
}

/// The content hashes of the articles of feed `feed_id` with these keys, read on a
/// connection of its own (the parse workers ask while the writer writes; WAL lets both
/// proceed).
pub(crate) fn content_hashes(
    path: &Path,
    feed_id: i64,
    keys: &[&str],
) -> Result<std::collections::HashMap<String, String>> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    wait_when_busy(&conn)?;
    let keys = serde_json::to_string(keys).map_err(|e| Error::Invalid(e.to_string()))?;
    let mut statement = conn.prepare(
        "SELECT key, content_hash FROM articles
         WHERE feed_id = ?1 AND key IN (SELECT value FROM json_each(?2))",
    )?;
    let rows = statement.query_map(params![feed_id, keys], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn locked_or(error: rusqlite::Error, path: &Path) -> Error {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Locked {
            path: path.to_owned(),
        },
        _ => Error::Database(error),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
