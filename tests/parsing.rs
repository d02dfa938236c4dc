//! Parsing, decoding, sanitising and storing what real (and hostile) feeds send.

mod common;

use std::time::{Duration, Instant};

use common::server::{Reply, Server};
use common::{feeds, fetcher, refresh_one, subscribe, TempDb};
use veille_core::fetch::FetchConfig;
use veille_core::refresh::Status;
use veille_core::store::{ArticleFilter, Store};

fn all_articles(store: &Store) -> Vec<veille_core::store::Article> {
    let list = store.articles(&ArticleFilter::default()).unwrap();
    list.iter().map(|a| store.article(a.id).unwrap()).collect()
}

/// Serves `body` with `content_type`, refreshes it into a fresh database, returns the store.
fn ingest(content_type: &str, body: Vec<u8>) -> (TempDb, Store, Server) {
    let server = Server::routes(vec![("/feed", Reply::ok(content_type, body))]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let report = refresh_one(&mut store, &fetcher(FetchConfig::default()), id);
    assert_eq!(report.status, Status::Updated, "{report:?}");
    (db, store, server)
}

#[test]
fn every_character_set_decodes() {
    for case in feeds::charset_cases() {
        let (_db, store, _server) = ingest(case.content_type, case.body);
        let articles = all_articles(&store);
        assert_eq!(
            articles[0].summary.title, case.title,
            "decoding {} served as {}",
            case.label, case.content_type
        );
        assert_eq!(articles[0].text, case.title);
    }
}

#[test]
fn active_content_never_survives_sanitising() {
    let feed = feeds::xss();
    let (_db, store, _server) = ingest("application/rss+xml", feed.into_bytes());
    let article = &all_articles(&store)[0];
    let html = article.content_html.to_lowercase();
    for forbidden in [
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "onload",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<meta",
        "<base",
        "style=",
        "<style",
        "<svg",
        "<math",
        "alert(",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} survived in {html}");
    }
    assert!(
        html.contains("href=\"https://example.org/ok?id=7\""),
        "tracking stripped, link kept: {html}"
    );
    assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    assert!(
        !article.summary.title.contains('<') && !article.summary.title.contains("alert"),
        "{}",
        article.summary.title
    );
    assert!(!article.text.contains("alert"), "{}", article.text);
}

#[test]
fn relative_links_never_resolve_to_active_urls() {
    let (_db, store, _server) = ingest(
        "application/atom+xml",
        feeds::HOSTILE_BASE.as_bytes().to_vec(),
    );
    let articles = all_articles(&store);
    let html: String = articles
        .iter()
        .map(|a| a.content_html.to_lowercase())
        .collect();
    assert!(!html.contains("javascript"), "{html}");
    assert!(!html.contains("alert"), "{html}");
    assert!(
        html.contains("href=\"https://example.org/news/story.html?page=2\""),
        "web base kept, tracking stripped: {html}"
    );
}

#[test]
fn external_entities_and_entity_bombs_are_inert() {
    let (_db, store, _server) = ingest("application/rss+xml", feeds::XXE.as_bytes().to_vec());
    let article = &all_articles(&store)[0];
    assert!(
        !article.text.contains("root:") && !article.summary.title.contains("root:"),
        "{article:?}"
    );

    let bomb = feeds::billion_laughs();
    let started = Instant::now();
    let server = Server::routes(vec![("/feed", Reply::ok("application/rss+xml", bomb))]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let report = refresh_one(&mut store, &fetcher(FetchConfig::default()), id);
    assert!(started.elapsed() < Duration::from_secs(10));
    // Either stored with the entity left unexpanded, or refused as a parse error: never expanded.
    for article in all_articles(&store) {
        assert!(
            article.text.len() < 1000 && article.summary.title.len() < 1000,
            "{report:?}"
        );
    }
}

#[test]
fn ten_thousand_items_are_stored_once() {
    let server = Server::routes(vec![(
        "/big",
        Reply::ok("application/rss+xml", feeds::rss_with(10_000)),
    )]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/big"));
    let fetcher = fetcher(FetchConfig::default());
    let first = refresh_one(&mut store, &fetcher, id);
    assert_eq!(first.new, 10_000);
    let second = refresh_one(&mut store, &fetcher, id);
    assert_eq!((second.new, second.updated), (0, 0));
    assert_eq!(store.feed(id).unwrap().articles, 10_000);
}

#[test]
fn duplicate_and_missing_guids_never_duplicate_articles() {
    let feed = feeds::DUPLICATE_GUIDS;
    let with_other_tracking = feed.replace("utm_source=rss", "utm_source=twitter");
    let bodies = std::sync::Mutex::new(vec![with_other_tracking, feed.to_owned()]);
    let server = Server::start(move |_| {
        let body = bodies.lock().unwrap().pop().unwrap_or_default();
        Reply::ok("application/rss+xml", body)
    });
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let fetcher = fetcher(FetchConfig::default());
    assert_eq!(refresh_one(&mut store, &fetcher, id).new, 3);
    let again = refresh_one(&mut store, &fetcher, id);
    assert_eq!((again.new, again.updated), (0, 0), "{again:?}");
    let titles: Vec<String> = all_articles(&store)
        .into_iter()
        .map(|a| a.summary.title)
        .collect();
    assert_eq!(titles.len(), 3);
    assert!(titles.contains(&"First copy".to_owned()));
    let linked = all_articles(&store)
        .into_iter()
        .find(|a| a.summary.title == "No guid")
        .unwrap();
    assert_eq!(
        linked.summary.url.as_deref(),
        Some("https://example.org/story?id=3")
    );
}

#[test]
fn bad_dates_fall_back_to_first_seen_and_stay_stable() {
    let feed = feeds::ABSURD_DATES;
    let server = Server::routes(vec![("/feed", Reply::ok("application/rss+xml", feed))]);
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let fetcher = fetcher(FetchConfig::default());
    let before = veille_core::time::now();
    refresh_one(&mut store, &fetcher, id);
    let first: Vec<(String, i64)> = all_articles(&store)
        .into_iter()
        .map(|a| (a.summary.title, a.summary.published))
        .collect();
    for (title, published) in &first {
        if title == "Good" {
            assert_eq!(*published, 1_741_082_400);
        } else {
            assert!(
                *published >= before && *published <= veille_core::time::now() + 1,
                "{title} {published}"
            );
        }
    }
    std::thread::sleep(Duration::from_millis(1100));
    // A changed item keeps its first-seen date when the feed still gives none.
    let server2 = Server::routes(vec![(
        "/feed",
        Reply::ok("application/rss+xml", feed.replace(">x<", ">x changed<")),
    )]);
    let mut store2 = store;
    let moved = server2.url("/feed");
    store2.record_not_modified(id, Some(&moved)).unwrap();
    let report = refresh_one(&mut store2, &fetcher, id);
    assert_eq!(report.updated, 1);
    let second: Vec<(String, i64)> = all_articles(&store2)
        .into_iter()
        .map(|a| (a.summary.title, a.summary.published))
        .collect();
    assert_eq!(first, second);
}

#[test]
fn atom_json_and_rss1_feeds_resolve_relative_links() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de" xml:base="https://atom.example/blog/">
  <title>Atom</title><id>urn:a</id><updated>2025-03-04T10:00:00Z</updated>
  <link rel="alternate" href="https://atom.example/"/>
  <entry><id>urn:a:1</id><title type="html">Chips &amp;amp; Fabs</title><updated>2025-03-04T10:00:00Z</updated>
    <link rel="alternate" href="posts/1"/>
    <content type="html">&lt;p&gt;Siehe &lt;a href="../docs/x.html"&gt;Bericht&lt;/a&gt;&lt;img src="img/a.png"&gt;&lt;/p&gt;</content></entry>
</feed>"#;
    let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"JSON","language":"ja",
        "home_page_url":"https://json.example/",
        "items":[{"id":"j1","url":"https://json.example/p/1","title":"JSON item",
        "content_html":"<p>日本の半導体</p>","date_published":"2025-03-04T10:00:00+09:00"}]}"#;
    let rss1 = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link><description>d</description></channel>
  <item rdf:about="https://rdf.example/1"><title>RDF item</title><link>https://rdf.example/1</link><description>Hello RDF</description></item>
</rdf:RDF>"#;
    let server = Server::routes(vec![
        ("/atom", Reply::ok("application/atom+xml", atom)),
        ("/json", Reply::ok("application/feed+json", json)),
        ("/rdf", Reply::ok("application/rdf+xml", rss1)),
    ]);
    let db = TempDb::new();
    let mut store = db.open();
    let fetcher = fetcher(FetchConfig::default());
    for path in ["/atom", "/json", "/rdf"] {
        let id = subscribe(&mut store, &server.url(path));
        let report = refresh_one(&mut store, &fetcher, id);
        assert_eq!(
            (report.status, report.new),
            (Status::Updated, 1),
            "{path}: {report:?}"
        );
    }
    let articles = all_articles(&store);
    let atom = articles
        .iter()
        .find(|a| a.summary.title == "Chips & Fabs")
        .expect("atom title decoded");
    assert_eq!(
        atom.summary.url.as_deref(),
        Some("https://atom.example/blog/posts/1")
    );
    assert!(
        atom.content_html
            .contains("https://atom.example/blog/docs/x.html"),
        "{}",
        atom.content_html
    );
    assert!(
        atom.content_html
            .contains("https://atom.example/blog/posts/img/a.png")
            || atom
                .content_html
                .contains("https://atom.example/blog/img/a.png"),
        "{}",
        atom.content_html
    );
    let json = articles
        .iter()
        .find(|a| a.summary.title == "JSON item")
        .unwrap();
    assert_eq!(json.summary.lang.as_deref(), Some("ja"));
    assert!(articles
        .iter()
        .any(|a| a.summary.title == "RDF item" && a.text == "Hello RDF"));
}

#[test]
fn refetching_updates_in_place_and_keeps_the_readers_state() {
    let versions = std::sync::Mutex::new(vec![
        feeds::rss("S", &[("a", "Alpha v2", "<p>changed body</p>")]),
        feeds::rss("S", &[("a", "Alpha", "<p>body</p>")]),
    ]);
    let server = Server::start(move |_| {
        let mut v = versions.lock().unwrap();
        let body = if v.len() > 1 {
            v.pop().unwrap()
        } else {
            v[0].clone()
        };
        Reply::ok("application/rss+xml", body)
    });
    let db = TempDb::new();
    let mut store = db.open();
    let id = subscribe(&mut store, &server.url("/feed"));
    let fetcher = fetcher(FetchConfig::default());
    refresh_one(&mut store, &fetcher, id);
    let article = store.articles(&ArticleFilter::default()).unwrap()[0].id;
    store.set_starred(article, true).unwrap();
    store.set_read(article, true).unwrap();
    let report = refresh_one(&mut store, &fetcher, id);
    assert_eq!((report.new, report.updated), (0, 1));
    let after = store.article(article).unwrap();
    assert_eq!(after.summary.title, "Alpha v2");
    assert!(after.summary.starred && after.summary.read);
    assert_eq!(store.search("changed", 10).unwrap().len(), 1);
    assert!(store
        .search("body", 10)
        .unwrap()
        .iter()
        .all(|h| h.article.id == article));
}
