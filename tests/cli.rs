//! The `veille` binary end to end: a real database file, real servers, real processes.

mod common;

use common::server::{Reply, Server};
use common::{feeds, stderr, stdout, TempDb};

const RSS: &str = "application/rss+xml";

fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(output.status.success(), "veille failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

#[test]
fn demo_imports_the_samples_in_every_language() {
    let db = TempDb::new();
    let out = db.veille(&["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("articles"));
    let articles = json(&db.veille(&["articles", "--limit", "1000", "--json"]));
    let list = articles.as_array().unwrap();
    assert!(list.len() >= 40, "{} sample articles", list.len());
    for lang in ["en", "fr", "de", "es", "it", "pt", "zh", "ja"] {
        assert!(
            list.iter().any(|a| a["lang"] == lang),
            "no sample article detected as {lang}"
        );
    }
    for key in ["id", "feed_id", "guid", "url", "title", "lang", "published"] {
        assert!(list[0].get(key).is_some(), "articles --json lacks {key}");
    }
    let feeds = json(&db.veille(&["feeds", "list", "--json"]));
    assert!(feeds
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["folder"] == "Samples"));
    // Importing again adds nothing.
    let again = db.veille(&["demo"]);
    assert!(stdout(&again).contains(" 0 new"), "{}", stdout(&again));
    // French filter and search across scripts.
    let french = json(&db.veille(&["articles", "--lang", "fr", "--json"]));
    assert!(french.as_array().unwrap().iter().all(|a| a["lang"] == "fr"));
    assert!(!french.as_array().unwrap().is_empty());
    let chips = json(&db.veille(&["search", "芯片", "--json"]));
    assert!(
        chips.as_array().unwrap().iter().any(|h| h["lang"] == "zh"),
        "{chips}"
    );
    // The samples folder can be removed like any other.
    let removed = db.veille(&["feeds", "remove", "--folder", "Samples"]);
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert_eq!(
        json(&db.veille(&["articles", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn curated_opml_imports_and_round_trips() {
    let db = TempDb::new();
    let curated = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/feeds/curated.opml"
    );
    let out = db.veille(&["feeds", "import", curated]);
    assert!(out.status.success(), "{}", stderr(&out));
    let feeds = json(&db.veille(&["feeds", "list", "--json"]));
    let feeds = feeds.as_array().unwrap();
    assert!(feeds.len() >= 40, "{} curated feeds", feeds.len());
    let langs: std::collections::HashSet<&str> =
        feeds.iter().filter_map(|f| f["lang"].as_str()).collect();
    for lang in ["en", "fr", "de", "es", "it", "pt", "zh", "ja"] {
        assert!(langs.contains(lang), "no curated feed in {lang}");
    }
    let exported = db.dir.path().join("out.opml");
    let out = db.veille(&["feeds", "export", "--out", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let other = TempDb::new();
    assert!(other
        .veille(&["feeds", "import", exported.to_str().unwrap()])
        .status
        .success());
    let strip = |v: serde_json::Value| -> Vec<(String, String, String, String)> {
        let mut rows: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["url"].to_string(),
                    f["title"].to_string(),
                    f["folder"].to_string(),
                    f["lang"].to_string(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(
        strip(json(&db.veille(&["feeds", "list", "--json"]))),
        strip(json(&other.veille(&["feeds", "list", "--json"])))
    );
    // Importing twice adds nothing.
    assert!(stdout(&db.veille(&["feeds", "import", curated])).starts_with("0 feeds added"));
}

#[test]
fn fetch_reports_each_feed_and_completes_despite_failures() {
    let server = Server::routes(vec![
        (
            "/ok",
            Reply::ok(
                RSS,
                feeds::rss(
                    "Working feed",
                    &[("a", "Alpha", "<p>x</p>"), ("b", "Beta", "<p>y</p>")],
                ),
            ),
        ),
        ("/bad", Reply::status(500)),
    ]);
    let db = TempDb::new();
    for path in ["/ok", "/bad"] {
        let store = &mut db.open();
        common::subscribe(store, &server.url(path));
    }
    let out = db.veille(&["fetch"]);
    assert!(
        out.status.success(),
        "a run that completed exits 0 even with failed feeds"
    );
    let text = stdout(&out);
    assert!(text.contains("2 new"), "{text}");
    assert!(text.contains("ERROR server: 500"), "{text}");
    let reports = json(&db.veille(&["fetch", "--json"]));
    assert_eq!(reports.as_array().unwrap().len(), 2);
    let listed = stdout(&db.veille(&["feeds", "list"]));
    assert!(listed.contains("ERROR (2 in a row): 500"), "{listed}");
}

#[test]
fn adding_a_web_page_discovers_its_feed() {
    let page = "<!doctype html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" title=\"News\" href=\"/news.xml\"></head><body>Blog</body></html>";
    let server = Server::routes(vec![
        ("/blog", Reply::ok("text/html; charset=utf-8", page)),
        (
            "/news.xml",
            Reply::ok(RSS, feeds::rss("Discovered", &[("a", "Alpha", "<p>x</p>")])),
        ),
        (
            "/nothing",
            Reply::ok("text/html", "<html><body>no feed</body></html>"),
        ),
    ]);
    let db = TempDb::new();
    let out = db.veille(&["feeds", "add", &server.url("/blog"), "--folder", "Blogs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 articles"), "{}", stdout(&out));
    let feeds = json(&db.veille(&["feeds", "list", "--json"]));
    assert_eq!(feeds[0]["url"], server.url("/news.xml"));
    assert_eq!(feeds[0]["title"], "Discovered");
    assert_eq!(feeds[0]["folder"], "Blogs");
    let none = db.veille(&["feeds", "add", &server.url("/nothing")]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr(&none).contains("advertises no feed"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn search_finds_chinese_japanese_and_accented_words() {
    let server = Server::routes(vec![(
        "/feed",
        Reply::ok(
            RSS,
            feeds::rss(
                "Mixed",
                &[
                    (
                        "zh",
                        "美国扩大芯片出口管制",
                        "<p>美国商务部周一宣布扩大对华芯片出口管制。</p>",
                    ),
                    (
                        "ja",
                        "ラピダスが北海道で試作開始",
                        "<p>半導体メーカーのラピダスは千歳市の工場で二ナノの試作を始めた。</p>",
                    ),
                    (
                        "fr",
                        "Le réseau électrique sous tension",
                        "<p>Les centres de données pèsent sur le réseau français.</p>",
                    ),
                ],
            ),
        ),
    )]);
    let db = TempDb::new();
    common::subscribe(&mut db.open(), &server.url("/feed"));
    assert!(db.veille(&["fetch"]).status.success());
    let titles = |query: &str| -> Vec<String> {
        json(&db.veille(&["search", query, "--json"]))
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(titles("芯片"), ["美国扩大芯片出口管制"]);
    assert_eq!(titles("半導体"), ["ラピダスが北海道で試作開始"]);
    assert_eq!(titles("reseau"), ["Le réseau électrique sous tension"]);
    assert!(titles("管制 芯片").len() == 1 && titles("芯片 reseau").is_empty());
    let text = stdout(&db.veille(&["search", "北海道"]));
    assert!(text.contains("[北海道]"), "{text}");
}

#[test]
fn bad_input_gets_a_clear_message_and_the_right_exit_code() {
    let db = TempDb::new();
    let usage = db.veille(&["articles", "--limit", "many"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        stderr(&usage).contains("invalid value"),
        "{}",
        stderr(&usage)
    );
    assert_eq!(db.veille(&["frobnicate"]).status.code(), Some(2));

    let missing = db.veille(&["feeds", "import", "/nonexistent/subs.opml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).starts_with("veille: cannot read /nonexistent/subs.opml"),
        "{}",
        stderr(&missing)
    );
    assert!(!stderr(&missing).contains("panicked"));

    let junk = db.dir.path().join("junk.opml");
    std::fs::write(&junk, "<opml><body><outline text='x'").unwrap();
    let unreadable = db.veille(&["feeds", "import", junk.to_str().unwrap()]);
    assert_eq!(unreadable.status.code(), Some(1));
    assert!(
        stderr(&unreadable).contains("not a readable OPML file"),
        "{}",
        stderr(&unreadable)
    );

    let absent = db.veille(&["show", "999"]);
    assert_eq!(absent.status.code(), Some(1));
    assert_eq!(
        stderr(&absent).trim(),
        "veille: not found: no article with id 999"
    );
}

#[test]
fn a_locked_database_is_reported_not_crashed_on() {
    let db = TempDb::new();
    drop(db.open());
    let blocker = rusqlite::Connection::open(&db.path).unwrap();
    blocker
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let started = std::time::Instant::now();
    let out = db.veille(&["feeds", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is locked by another program"),
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
