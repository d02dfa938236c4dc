//! Backup and restore with SQLite's online backup API: a backup is consistent even while
//! the app is writing, and a restore checks the file before replacing anything and keeps
//! the previous database as a copy.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::{migrations, Store, SCHEMA_VERSION};
use crate::{time, Error, Result};

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    /// Where the database that was replaced was kept.
    pub previous: PathBuf,
    pub feeds: i64,
    pub articles: i64,
    pub notes: i64,
}

/// Copies `from` into the database at `dest` page by page, letting writers in between.
fn copy(from: &Connection, dest: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, dest)?;
    backup.run_to_completion(256, Duration::from_millis(5), None)?;
    Ok(())
}

impl Store {
    /// Writes a consistent copy of the database to `dest` (through a temporary file in the
    /// same folder, so an interrupted backup never leaves a half-written file).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".veille-backup")
            .tempfile_in(dir)
            .map_err(|e| Error::file(dir, e))?;
        {
            let mut out = Connection::open(tmp.path())?;
            copy(&self.conn, &mut out)?;
        }
        tmp.persist(dest).map_err(|e| Error::file(dest, e.error))?;
        Ok(())
    }

    /// Replaces this database with the backup at `source`: the file must be a Veille
    /// database (schema version this build knows, integrity check passing); the current
    /// database is first saved beside itself as `<name>.before-restore-<time>`.
    pub fn restore_from(&mut self, source: &Path) -> Result<RestoreReport> {
        let incoming = check_backup(source)?;
        let previous = self
            .path
            .with_extension(format!("before-restore-{}.db", time::now()));
        self.backup_to(&previous)?;
        copy(&incoming, &mut self.conn)?;
        migrations().to_latest(&mut self.conn)?;
        let count = |table: &str| -> Result<i64> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
        };
        Ok(RestoreReport {
            previous,
            feeds: count("feeds")?,
            articles: count("articles")?,
            notes: count("notes")?,
        })
    }
}

/// Opens a backup read-only and checks it can be restored.
fn check_backup(source: &Path) -> Result<Connection> {
    if !source.is_file() {
        return Err(Error::Invalid(format!(
            "{} is not a file",
            source.display()
        )));
    }
    let conn =
        Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| {
            Error::Invalid(format!(
                "{} is not a SQLite database: {e}",
                source.display()
            ))
        })?;
    let not_veille = |detail: String| {
        Error::Invalid(format!(
            "{} is not a Veille backup: {detail}",
            source.display()
        ))
    };
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_veille(e.to_string()))?;
    if integrity != "ok" {
        return Err(not_veille(format!("integrity check failed ({integrity})")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 1 {
        return Err(not_veille("it has no Veille schema".to_owned()));
    }
    if version as usize > SCHEMA_VERSION {
        return Err(Error::Invalid(format!(
            "{} was written by a newer Veille (schema {version}, this one knows {SCHEMA_VERSION})",
            source.display()
        )));
    }
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('feeds', 'articles')",
        [],
        |r| r.get(0),
    )?;
    if tables != 2 {
        return Err(not_veille(
            "the feeds and articles tables are missing".to_owned(),
        ));
    }
    Ok(conn)
}
