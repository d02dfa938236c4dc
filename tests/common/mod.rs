//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod feeds;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use veille_core::assets::Assets;
use veille_core::fetch::{FetchConfig, Fetcher};
use veille_core::refresh::{self, FeedReport};
use veille_core::store::{NewFeed, Store};

/// A fresh database file in its own temporary folder.
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempDb {
    pub fn new() -> TempDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("veille.db");
        TempDb { dir, path }
    }

    pub fn open(&self) -> Store {
        Store::open(&self.path).expect("open store")
    }

    /// Runs the real `veille` binary against this database.
    pub fn veille(&self, args: &[&str]) -> Output {
        veille_at(&self.path, args)
    }
}

pub fn veille_at(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veille"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("VEILLE_ASSETS")
        .output()
        .expect("run veille")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fetcher with test-sized limits.
pub fn fetcher(config: FetchConfig) -> Fetcher {
    Fetcher::new(config, Assets::Embedded).expect("fetcher")
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Subscribes to `url` (no discovery) and returns the feed id.
pub fn subscribe(store: &mut Store, url: &str) -> i64 {
    store
        .add_feed(&NewFeed {
            url: url.to_owned(),
            ..NewFeed::default()
        })
        .expect("add feed")
        .0
}

/// Refreshes the given feeds (all when empty) and returns the reports by feed id order.
pub fn refresh_feeds(store: &mut Store, fetcher: &Fetcher, ids: &[i64]) -> Vec<FeedReport> {
    let feeds = store
        .feeds()
        .expect("feeds")
        .into_iter()
        .filter(|f| ids.is_empty() || ids.contains(&f.id))
        .collect();
    let mut reports = runtime()
        .block_on(refresh::refresh(
            store,
            fetcher,
            feeds,
            &refresh::Ingest::store_only(),
            |_| {},
        ))
        .expect("refresh");
    reports.sort_by_key(|r| r.feed_id);
    reports
}

/// Refreshes one feed and returns its report.
pub fn refresh_one(store: &mut Store, fetcher: &Fetcher, id: i64) -> FeedReport {
    refresh_feeds(store, fetcher, &[id]).remove(0)
}
