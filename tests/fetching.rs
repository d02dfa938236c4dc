//! Fetching against real HTTP servers on 127.0.0.1: validators, redirects, status codes,
//! timeouts, size caps and compression bombs, each ending as a per-feed result.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::server::{Reply, Server};
use common::{feeds, fetcher, refresh_feeds, refresh_one, subscribe, TempDb};
use veille_core::fetch::{ErrorKind, FetchConfig};
use veille_core::refresh::Status;

const RSS: &str = "application/rss+xml";

fn quick() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(1),
        ..FetchConfig::default()
    }
}

#[test]
fn second_fetch_sends_validators_and_304_changes_nothing() {
    let body = feeds::rss("Cond", &[("a", "Alpha", "<p>x</p>")]);
    let server = Server::start(move |req| {
        if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            return Reply::status(304);
        }
        Reply::ok(RSS, body.clone())
            .header("ETag", "\"v1\"")
            .header("Last-Modified", "Tue, 04 Mar 2025 10:00:00 GMT")
    });
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let fetcher = fetcher(quick());

    let first = refresh_one(&mut store, &fetcher, id);
    assert_eq!((first.status, first.new), (Status::Updated, 1));
    let second = refresh_one(&mut store, &fetcher, id);
    assert_eq!((second.status, second.new), (Status::NotModified, 0));

    let requests = server.requests("/feed");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].headers.get("if-none-match"), None);
    assert_eq!(
        requests[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        requests[1]
            .headers
            .get("if-modified-since")
            .map(String::as_str),
        Some("Tue, 04 Mar 2025 10:00:00 GMT")
    );
    assert!(requests[0]
        .headers
        .get("user-agent")
        .is_some_and(|ua| ua.starts_with("Veille/")));
}

#[test]
fn same_etag_on_a_200_counts_as_not_modified() {
    let body = feeds::rss("Stubborn", &[("a", "Alpha", "<p>x</p>")]);
    let server = Server::routes(vec![(
        "/feed",
        Reply::ok(RSS, body).header("ETag", "\"same\""),
    )]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let fetcher = fetcher(quick());
    assert_eq!(
        refresh_one(&mut store, &fetcher, id).status,
        Status::Updated
    );
    assert_eq!(
        refresh_one(&mut store, &fetcher, id).status,
        Status::NotModified
    );
}

#[test]
fn permanent_redirects_move_the_subscription_and_temporary_ones_do_not() {
    let body = feeds::rss("Moved", &[("a", "Alpha", "<p>x</p>")]);
    let server = Server::routes(vec![
        ("/old", Reply::redirect(301, "/older")),
        ("/older", Reply::redirect(308, "/new")),
        ("/temp", Reply::redirect(302, "/new")),
        ("/new", Reply::ok(RSS, body)),
    ]);
    let db = TempDb::new();
    let mut store = db.open();
    let moved = subscribe(&mut store, &server.url("/old"));
    let temp = subscribe(&mut store, &server.url("/temp"));
    let fetcher = fetcher(quick());
    let reports = refresh_feeds(&mut store, &fetcher, &[moved, temp]);
    assert!(
        reports
            .iter()
            .all(|r| r.status == Status::Updated && r.new == 1),
        "{reports:?}"
    );
    assert_eq!(store.feed(moved).unwrap().url, server.url("/new"));
    assert_eq!(store.feed(temp).unwrap().url, server.url("/temp"));
}

#[test]
fn redirect_loops_and_long_chains_are_errors() {
    let server = Server::start(|req| match req.path.as_str() {
        "/a" => Reply::redirect(302, "/b"),
        "/b" => Reply::redirect(302, "/a"),
        path => {
            let n: u32 = path.trim_start_matches("/chain").parse().unwrap_or(0);
            Reply::redirect(302, &format!("/chain{}", n + 1))
        }
    });
    let db = TempDb::new();
    let mut store = db.open();
    let looped = subscribe(&mut store, &server.url("/a"));
    let chained = subscribe(&mut store, &server.url("/chain0"));
    let fetcher = fetcher(quick());
    for report in refresh_feeds(&mut store, &fetcher, &[looped, chained]) {
        assert_eq!(report.status, Status::Failed);
        assert_eq!(report.error_kind, Some(ErrorKind::Redirects), "{report:?}");
    }
    // At most 5 redirects are followed: the first request plus five.
    assert_eq!(server.requests("/chain5").len(), 1);
    assert!(server.requests("/chain6").is_empty());
}

#[test]
fn gone_feeds_are_marked_and_no_longer_fetched() {
    let server = Server::routes(vec![("/gone", Reply::status(410))]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/gone"));
    let fetcher = fetcher(quick());
    assert_eq!(refresh_one(&mut store, &fetcher, id).status, Status::Gone);
    assert!(store.feed(id).unwrap().gone);
    assert_eq!(
        refresh_one(&mut store, &fetcher, id).status,
        Status::Skipped
    );
    assert_eq!(server.requests("/gone").len(), 1);
}

#[test]
fn retry_after_is_honoured_for_429_and_503() {
    let server = Server::routes(vec![
        ("/busy", Reply::status(429).header("Retry-After", "3600")),
        (
            "/down",
            Reply::status(503).header("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"),
        ),
    ]);
    let db = TempDb::new();
    let mut store = db.open();
    let busy = subscribe(&mut store, &server.url("/busy"));
    let down = subscribe(&mut store, &server.url("/down"));
    let fetcher = fetcher(quick());
    let now = veille_core::time::now();
    let reports = refresh_feeds(&mut store, &fetcher, &[busy, down]);
    assert!(
        reports.iter().all(|r| r.status == Status::RateLimited),
        "{reports:?}"
    );
    let busy_until = store.feed(busy).unwrap().retry_at.unwrap();
    assert!(
        (now + 3590..=now + 3700).contains(&busy_until),
        "{busy_until} vs {now}"
    );
    // An HTTP date far ahead is capped at a week, so the feed is never silently dropped.
    let down_until = store.feed(down).unwrap().retry_at.unwrap();
    assert!(down_until <= now + 7 * 86_400 + 60);
    let again = refresh_feeds(&mut store, &fetcher, &[busy, down]);
    assert!(again.iter().all(|r| r.status == Status::Skipped));
    assert_eq!(server.requests("/busy").len(), 1);
    assert_eq!(server.requests("/down").len(), 1);
}

#[test]
fn a_slow_feed_times_out_without_holding_up_the_others() {
    let fast = feeds::rss("Fast", &[("a", "Alpha", "<p>x</p>")]);
    let server = Server::routes(vec![
        (
            "/slow",
            Reply {
                delay: Duration::from_secs(30),
                ..Reply::ok(RSS, "")
            },
        ),
        (
            "/trickle",
            Reply {
                trickle: Some(Duration::from_millis(200)),
                ..Reply::ok(RSS, fast.clone())
            },
        ),
        ("/fast", Reply::ok(RSS, fast)),
    ]);
    let db = TempDb::new();
    let mut store = db.open();
    let slow = subscribe(&mut store, &server.url("/slow"));
    let trickle = subscribe(&mut store, &server.url("/trickle"));
    let quick_feed = subscribe(&mut store, &server.url("/fast"));
    let fetcher = fetcher(quick());
    let started = Instant::now();
    let reports = refresh_feeds(&mut store, &fetcher, &[]);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(6), "refresh took {elapsed:?}");
    for id in [slow, trickle] {
        let report = reports.iter().find(|r| r.feed_id == id).unwrap();
        assert_eq!(report.error_kind, Some(ErrorKind::Timeout), "{report:?}");
    }
    let fast = reports.iter().find(|r| r.feed_id == quick_feed).unwrap();
    assert_eq!((fast.status, fast.new), (Status::Updated, 1));
    let record = store.feed(slow).unwrap();
    assert_eq!(record.failures, 1);
    assert!(
        record.last_error.unwrap().contains("in time")
            || record.error_kind.as_deref() == Some("timeout")
    );
}

#[test]
fn bodies_over_the_cap_and_endless_bodies_are_refused() {
    let big = vec![b' '; 3 * 1024 * 1024];
    let server = Server::routes(vec![
        ("/big", Reply::ok(RSS, big)),
        (
            "/endless",
            Reply {
                endless: true,
                ..Reply::ok(RSS, "")
            },
        ),
    ]);
    let db = TempDb::new();
    let mut store = db.open();
    let big = subscribe(&mut store, &server.url("/big"));
    let endless = subscribe(&mut store, &server.url("/endless"));
    let fetcher = fetcher(FetchConfig {
        max_bytes: 1024 * 1024,
        ..quick()
    });
    for report in refresh_feeds(&mut store, &fetcher, &[big, endless]) {
        assert_eq!(report.error_kind, Some(ErrorKind::TooLarge), "{report:?}");
    }
}

#[test]
fn a_gzip_bomb_stops_at_the_cap() {
    let bomb = feeds::gzip_bomb();
    assert!(
        bomb.len() < 2 * 1024 * 1024,
        "the bomb is small on the wire: {}",
        bomb.len()
    );
    let server = Server::routes(vec![(
        "/bomb",
        Reply::ok(RSS, bomb).header("Content-Encoding", "gzip"),
    )]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/bomb"));
    let fetcher = fetcher(FetchConfig {
        timeout: Duration::from_secs(20),
        ..FetchConfig::default()
    });
    let report = refresh_one(&mut store, &fetcher, id);
    assert_eq!(report.error_kind, Some(ErrorKind::TooLarge), "{report:?}");
}

#[test]
fn compressed_feeds_are_read() {
    let body = feeds::rss("Zipped", &[("a", "Compressed alpha", "<p>x</p>")]);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body.as_bytes()).unwrap();
    let server = Server::routes(vec![(
        "/gz",
        Reply::ok(RSS, encoder.finish().unwrap()).header("Content-Encoding", "gzip"),
    )]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/gz"));
    let report = refresh_one(&mut store, &fetcher(quick()), id);
    assert_eq!((report.status, report.new), (Status::Updated, 1));
    let requests = server.requests("/gz");
    let accepted = requests[0]
        .headers
        .get("accept-encoding")
        .cloned()
        .unwrap_or_default();
    assert!(
        accepted.contains("gzip") && accepted.contains("br") && accepted.contains("deflate"),
        "{accepted}"
    );
}

#[test]
fn http_errors_are_recorded_per_feed_and_counted() {
    let good = feeds::rss("Good", &[("a", "Alpha", "<p>x</p>")]);
    let server = Server::routes(vec![
        ("/good", Reply::ok(RSS, good)),
        ("/broken", Reply::status(500)),
        ("/wall", Reply::status(403).header("Server", "cloudflare")),
        (
            "/junk",
            Reply::ok(RSS, "<rss version=\"2.0\"><channel><item><title>unclosed"),
        ),
        (
            "/page",
            Reply::ok(
                "text/html",
                "<!doctype html><html><head><title>x</title></head><body>hi</body></html>",
            ),
        ),
    ]);
    let db = TempDb::new();
    let mut store = db.open();
    let ids: Vec<i64> = ["/good", "/missing", "/broken", "/wall", "/junk", "/page"]
        .iter()
        .map(|p| subscribe(&mut store, &server.url(p)))
        .collect();
    let fetcher = fetcher(quick());
    refresh_feeds(&mut store, &fetcher, &[]);
    let reports = refresh_feeds(&mut store, &fetcher, &[]);
    let kinds: Vec<Option<ErrorKind>> = reports.iter().map(|r| r.error_kind).collect();
    assert_eq!(
        kinds,
        [
            None,
            Some(ErrorKind::NotFound),
            Some(ErrorKind::Server),
            Some(ErrorKind::BotProtection),
            Some(ErrorKind::Parse),
            Some(ErrorKind::NotAFeed)
        ]
    );
    for id in &ids[1..] {
        let feed = store.feed(*id).unwrap();
        assert_eq!(feed.failures, 2, "{feed:?}");
        assert!(feed.last_error.is_some() && feed.last_success_at.is_none());
    }
    assert_eq!(store.feed(ids[0]).unwrap().failures, 0);
}
