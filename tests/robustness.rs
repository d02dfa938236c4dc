//! Crash safety and concurrency with real processes: `veille fetch` killed with SIGKILL
//! at many points never leaves a corrupt database or half a feed, and what the user wrote
//! survives; two processes writing at once lose nothing and never report a locked database.

mod common;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::server::{Reply, Server};
use common::{stderr, TempDb};

const FEEDS: usize = 20;
const ITEMS: usize = 150;

/// A corpus whose every item changes on every request, so each fetch rewrites everything.
fn changing_corpus() -> Server {
    let version = Arc::new(AtomicU64::new(0));
    Server::start(move |req| {
        let v = version.fetch_add(1, Ordering::Relaxed);
        let feed = req.path.trim_start_matches("/feed/");
        let items: Vec<(String, String, String)> = (0..ITEMS)
            .map(|i| {
                (
                    format!("{feed}-{i}"),
                    format!("Item {i} of feed {feed}"),
                    format!("<p>Version {v}: TSMC said on Monday it would invest $20 billion in Arizona, up {i}% from its plan.</p>"),
                )
            })
            .collect();
        Reply::ok(
            "application/rss+xml",
            common::feeds::rss(&format!("Feed {feed}"), &items),
        )
    })
}

fn veille(db: &TempDb) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_veille"));
    command
        .arg("--db")
        .arg(&db.path)
        .env_remove("VEILLE_ASSETS");
    command
}

#[test]
fn killing_a_fetch_never_corrupts_the_database_or_splits_a_feed() {
    let server = changing_corpus();
    let db = TempDb::new();
    {
        let mut store = db.open();
        for f in 0..FEEDS {
            common::subscribe(&mut store, &server.url(&format!("/feed/{f}")));
        }
    }
    let started = Instant::now();
    let first = veille(&db).arg("fetch").output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let full = started.elapsed().as_millis() as u64;
    let article = "1";
    assert!(veille(&db)
        .args(["tag", article, "keep-me"])
        .output()
        .unwrap()
        .status
        .success());
    assert!(veille(&db)
        .args(["note", article, "written before the crashes"])
        .output()
        .unwrap()
        .status
        .success());

    // Deterministic pseudo-random kill points within the time a full fetch takes, until
    // 20 fetches were killed mid-way (a fetch that ends before its kill point still counts
    // for the checks below, not for the 20).
    let mut seed: u64 = 0x5eed;
    let mut killed = 0;
    for round in 0..60 {
        if killed >= 20 {
            break;
        }
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(10 + (seed >> 33) % (full * 6 / 10).max(20));
        let mut child = veille(&db)
            .arg("fetch")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "round {round}");
        let mut stmt = conn
            .prepare("SELECT count(*) FROM articles GROUP BY feed_id")
            .unwrap();
        let counts: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            counts,
            vec![ITEMS as i64; FEEDS],
            "round {round}: every feed whole"
        );
        // Every stored article has its analysis (written in the same transaction).
        let unanalysed: i64 = conn
            .query_row("SELECT count(*) FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE n.article_id IS NULL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(unanalysed, 0, "round {round}");
        let note: String = conn
            .query_row("SELECT body FROM notes WHERE article_id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(note, "written before the crashes");
        let tagged: i64 = conn
            .query_row(
                "SELECT count(*) FROM article_tags WHERE article_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tagged, 1);
    }
    assert!(killed >= 20, "only {killed} fetches were killed mid-way");
}

#[test]
fn a_fetch_and_a_user_writing_at_once_lose_nothing() {
    let server = changing_corpus();
    let db = TempDb::new();
    {
        let mut store = db.open();
        for f in 0..FEEDS {
            common::subscribe(&mut store, &server.url(&format!("/feed/{f}")));
        }
    }
    assert!(veille(&db).arg("fetch").output().unwrap().status.success());
    let fetcher_db = db.path.clone();
    let fetching = std::thread::spawn(move || {
        let mut failures = Vec::new();
        let until = Instant::now() + Duration::from_secs(8);
        while Instant::now() < until {
            let out = Command::new(env!("CARGO_BIN_EXE_veille"))
                .arg("--db")
                .arg(&fetcher_db)
                .arg("fetch")
                .output()
                .unwrap();
            if !out.status.success() {
                failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
            }
        }
        failures
    });
    let mut writes = 0;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(6) {
        writes += 1;
        let id = (writes % 50 + 1).to_string();
        for args in [
            vec!["tag", id.as_str(), "concurrent"],
            vec!["note", id.as_str(), "note while fetching"],
        ] {
            let out = veille(&db).args(&args).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            assert!(!stderr(&out).contains("locked"));
        }
    }
    let failures = fetching.join().unwrap();
    assert!(failures.is_empty(), "fetches failed: {failures:?}");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let tagged: i64 = conn
        .query_row("SELECT count(*) FROM article_tags", [], |r| r.get(0))
        .unwrap();
    let notes: i64 = conn
        .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (tagged, notes),
        (writes.min(50), writes.min(50)),
        "after {writes} rounds of writes"
    );
}
