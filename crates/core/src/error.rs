//! The one error type of the core. Messages are written for the person reading them.

use std::path::PathBuf;

/// Everything that can go wrong in the core, with a message a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the database {path} is locked by another program; close it and try again")]
    Locked { path: PathBuf },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("{0}")]
    Fetch(#[from] crate::fetch::FetchError),
    #[error("not a feed: {0}")]
    Feed(String),
    #[error("OPML: {0}")]
    Opml(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns, so the message names the file.
    pub fn file(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::File {
            path: path.into(),
            source,
        }
    }

    /// A short stable code for front ends (the app maps it to `{code, message}`).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Locked { .. } => "locked",
            Error::Database(_) | Error::Migration(_) => "database",
            Error::File { .. } | Error::Io(_) => "io",
            Error::NotFound(_) => "not_found",
            Error::Invalid(_) => "invalid",
            Error::Fetch(_) => "fetch",
            Error::Feed(_) => "not_a_feed",
            Error::Opml(_) => "opml",
        }
    }
}
