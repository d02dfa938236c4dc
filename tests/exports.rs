//! Notes, tags and exports that leave the app and come back: JSON round trip, backup and
//! restore, CSV and Markdown read back by real parsers, hostile titles as file names, and
//! exports interrupted mid-way.

mod common;

use std::path::Path;

use common::{stderr, stdout, TempDb};

fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(output.status.success(), "veille failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn ok(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "veille failed: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// A database with the samples and some of everything a user writes.
fn annotated() -> TempDb {
    let db = TempDb::new();
    ok(db.veille(&["demo"]));
    let french = json(&db.veille(&[
        "articles",
        "--lang",
        "fr",
        "--theme",
        "export-controls",
        "--json",
    ]));
    let id = french[0]["id"].as_i64().unwrap().to_string();
    ok(db.veille(&["tag", &id, "to-check"]));
    ok(db.veille(&["tag", &id, "Briefing lundi"]));
    ok(db.veille(&[
        "note",
        &id,
        "À vérifier auprès du **BIS**.\n\n- chiffres\n- dates 芯片",
    ]));
    let shown = json(&db.veille(&["show", &id, "--json"]));
    let text = shown["text"].as_str().unwrap();
    let quote: String = text
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    ok(db.veille(&["highlight", &id, &quote, "--note", "phrase clé"]));
    let claim = &shown["claims"][0];
    let claim_id = claim["id"].as_i64().unwrap().to_string();
    if let Some(tag) = claim["tags"].as_array().unwrap().first() {
        ok(db.veille(&["claim", &claim_id, "reject", tag["id"].as_str().unwrap()]));
    }
    ok(db.veille(&["claim", &claim_id, "add", "defense"]));
    ok(db.veille(&["tag-all", "chips", "--theme", "chipmaking", "--lang", "de"]));
    ok(db.veille(&["feeds", "list"]));
    db
}

#[test]
fn json_export_import_export_is_identical() {
    let db = annotated();
    let first = db.dir.path().join("first.json");
    ok(db.veille(&[
        "export",
        "--format",
        "json",
        "--out",
        first.to_str().unwrap(),
    ]));
    let other = TempDb::new();
    let report = ok(other.veille(&["import", first.to_str().unwrap()]));
    assert!(report.contains("imported 52 articles (52 new)"), "{report}");
    let second = other.dir.path().join("second.json");
    ok(other.veille(&[
        "export",
        "--format",
        "json",
        "--out",
        second.to_str().unwrap(),
    ]));
    let (a, b) = (
        std::fs::read_to_string(&first).unwrap(),
        std::fs::read_to_string(&second).unwrap(),
    );
    assert_eq!(a, b, "export → import → export must give the same document");
    let doc: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let noted: Vec<&serde_json::Value> = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["note"].is_null())
        .collect();
    assert_eq!(noted.len(), 1);
    assert_eq!(
        noted[0]["tags"],
        serde_json::json!(["Briefing lundi", "to-check"])
    );
    assert_eq!(noted[0]["highlights"][0]["note"], "phrase clé");
    assert!(noted[0]["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["verdict"] == "added" && d["value"] == "defense"));
    // Importing the same file again changes nothing.
    let again = ok(other.veille(&["import", first.to_str().unwrap()]));
    assert!(again.contains("(0 new)"), "{again}");
    let third = other.dir.path().join("third.json");
    ok(other.veille(&[
        "export",
        "--format",
        "json",
        "--out",
        third.to_str().unwrap(),
    ]));
    assert_eq!(a, std::fs::read_to_string(&third).unwrap());
}

#[test]
fn backup_and_restore_keep_everything() {
    let db = annotated();
    let backup = db.dir.path().join("backup.db");
    ok(db.veille(&["backup", backup.to_str().unwrap()]));
    let before = json(&db.veille(&["notes", "--json"]));
    // Lose the note and a feed, then restore.
    let id = before[0]["article_id"].as_i64().unwrap().to_string();
    ok(db.veille(&["note", &id, ""]));
    ok(db.veille(&["feeds", "remove", "--folder", "Samples"]));
    assert_eq!(
        json(&db.veille(&["notes", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let restored = ok(db.veille(&["restore", backup.to_str().unwrap()]));
    assert!(restored.contains("52 articles, 1 notes"), "{restored}");
    assert_eq!(json(&db.veille(&["notes", "--json"])), before);
    assert_eq!(
        json(&db.veille(&["articles", "--limit", "500", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        52
    );
    // The replaced database was kept.
    let kept = std::fs::read_dir(db.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept);
}

#[test]
fn restore_refuses_what_is_not_a_veille_backup() {
    let db = annotated();
    let junk = db.dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
    let out = db.veille(&["restore", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a"), "{}", stderr(&out));
    let foreign = db.dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 99;")
        .unwrap();
    let out = db.veille(&["restore", foreign.to_str().unwrap()]);
    assert!(stderr(&out).contains("newer Veille"), "{}", stderr(&out));
    // Nothing was replaced.
    assert_eq!(
        json(&db.veille(&["notes", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn csv_reads_back_with_the_same_cells() {
    let db = annotated();
    let path = db.dir.path().join("claims.csv");
    ok(db.veille(&[
        "export",
        "--format",
        "csv",
        "--lang",
        "zh",
        "--out",
        path.to_str().unwrap(),
    ]));
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 with a BOM for spreadsheets"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[6], "claim");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let doc = json(&db.veille(&["export", "--format", "json", "--lang", "zh"]));
    let expected: Vec<(String, String)> = doc["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| {
            a["claims"].as_array().unwrap().iter().map(|c| {
                (
                    c["text"].as_str().unwrap().to_owned(),
                    c["themes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })
        })
        .collect();
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[6].to_owned(), r[7].to_owned()))
        .collect();
    assert_eq!(got, expected);
    assert!(
        got.iter().any(|(text, _)| text.contains('，')),
        "Chinese text intact"
    );
}

#[test]
fn markdown_notes_have_yaml_front_matter_and_safe_stable_names() {
    let db = annotated();
    let dir = db.dir.path().join("vault");
    ok(db.veille(&[
        "export",
        "--format",
        "markdown",
        "--tag",
        "to-check",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let front = text
        .strip_prefix("---\n")
        .unwrap()
        .split("\n---\n")
        .next()
        .unwrap();
    let yaml = &yaml_rust2::YamlLoader::load_from_str(front).unwrap()[0];
    assert_eq!(yaml["lang"].as_str(), Some("fr"));
    assert_eq!(yaml["tags"][0].as_str(), Some("Briefing lundi"));
    assert!(yaml["title"].as_str().unwrap().len() > 10);
    let themes = yaml["themes"].as_vec().unwrap();
    assert!(
        themes.iter().any(|t| t.as_str() == Some("defense")),
        "the theme the user added: {themes:?}"
    );
    assert!(text.contains("## Notes\n\nÀ vérifier auprès du **BIS**."));
    assert!(text.contains("## Highlights\n\n> "));
    assert!(text.contains("## Claims\n\n- "));
    // A second export writes the same file name.
    let again = db.dir.path().join("vault2");
    ok(db.veille(&[
        "export",
        "--format",
        "markdown",
        "--tag",
        "to-check",
        "--out",
        again.to_str().unwrap(),
    ]));
    let names = |d: &Path| -> Vec<String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(&dir), names(&again));
}

#[test]
fn hostile_titles_stay_inside_the_export_folder() {
    let server = common::server::Server::routes(vec![(
        "/feed",
        common::server::Reply::ok(
            "application/rss+xml",
            common::feeds::rss(
                "Hostile",
                &[
                    ("a", "../../../etc/passwd", "<p>x</p>"),
                    ("b", "CON", "<p>y</p>"),
                    ("c", "a/b\\c:d*e?f&quot;g&lt;h&gt;i|j", "<p>z</p>"),
                    ("d", "🚀🚀🚀", "<p>w</p>"),
                    ("e", &"très long titre ".repeat(40), "<p>v</p>"),
                    ("f", "芯片出口管制新规", "<p>u</p>"),
                ],
            ),
        ),
    )]);
    let db = TempDb::new();
    common::subscribe(&mut db.open(), &server.url("/feed"));
    ok(db.veille(&["fetch"]));
    let dir = db.dir.path().join("out");
    ok(db.veille(&[
        "export",
        "--format",
        "markdown",
        "--out",
        dir.to_str().unwrap(),
    ]));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    for name in &names {
        assert!(
            !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']) && !name.contains(".."),
            "{name}"
        );
        assert!(name.len() < 255, "{name}");
    }
    assert!(
        names.iter().any(|n| n.contains("芯片出口管制新规")),
        "{names:?}"
    );
    for entry in std::fs::read_dir(db.dir.path()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == "out" || name.starts_with("veille.db"),
            "{name} written outside the folder"
        );
    }
}

#[test]
fn an_interrupted_export_leaves_the_old_file_intact() {
    let db = annotated();
    let path = db.dir.path().join("export.json");
    std::fs::write(&path, "OLD").unwrap();
    let mut outcomes = std::collections::BTreeSet::new();
    for delay_ms in [0u64, 5, 20, 50, 100, 200, 400, 800, 1600, 3200] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_veille"))
            .args([
                "--db",
                db.path.to_str().unwrap(),
                "export",
                "--format",
                "json",
                "--out",
                path.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let content = std::fs::read_to_string(&path).unwrap();
        if content == "OLD" {
            outcomes.insert("old");
        } else {
            let doc: serde_json::Value =
                serde_json::from_str(&content).expect("a complete document, never a partial one");
            assert_eq!(doc["articles"].as_array().unwrap().len(), 52);
            outcomes.insert("new");
        }
        let leftovers = std::fs::read_dir(db.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
            .count();
        assert!(leftovers <= 1, "temporary files pile up");
    }
    assert!(
        outcomes.contains("new"),
        "the export never completed: {outcomes:?}"
    );
}

#[test]
fn digest_groups_by_theme_then_country_with_sources() {
    let db = annotated();
    let digest = ok(db.veille(&[
        "export",
        "--format",
        "digest",
        "--since",
        "2025-01-01",
        "--until",
        "2027-01-01",
    ]));
    assert!(digest.starts_with("# Veille briefing\n\n"));
    assert!(
        digest.contains("Selection: since 2025-01-01, until 2027-01-01."),
        "{}",
        &digest[..300]
    );
    let themes: Vec<&str> = digest.lines().filter(|l| l.starts_with("## ")).collect();
    assert!(themes.len() >= 8, "{themes:?}");
    assert!(digest.lines().any(|l| l.starts_with("### CN (")));
    assert!(
        digest
            .lines()
            .filter(|l| l.starts_with("- "))
            .all(|l| l.contains("](https://")),
        "every claim links its source"
    );
    let opml = ok(db.veille(&["export", "--format", "opml"]));
    assert!(opml.contains("<outline text=\"Samples\""));
}

#[test]
fn tags_rename_merge_colour_and_delete() {
    let db = annotated();
    ok(db.veille(&["tags", "rename", "to-check", "TO-VERIFY"]));
    ok(db.veille(&["tags", "rename", "TO-VERIFY", "chips"]));
    let tags = json(&db.veille(&["tags", "--json"]));
    let names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Briefing lundi", "chips"]);
    ok(db.veille(&["tags", "color", "chips", "#1f4e79"]));
    assert_eq!(json(&db.veille(&["tags", "--json"]))[1]["color"], "#1f4e79");
    assert_eq!(
        db.veille(&["tags", "color", "chips", "blue"]).status.code(),
        Some(1)
    );
    ok(db.veille(&["tags", "delete", "Briefing lundi"]));
    assert_eq!(
        json(&db.veille(&["tags", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Tags are case-insensitively unique.
    let chips = json(&db.veille(&["articles", "--tag", "CHIPS", "--limit", "500", "--json"]));
    assert!(!chips.as_array().unwrap().is_empty());
}

#[test]
fn highlights_follow_their_quote_when_the_article_changes() {
    let versions = std::sync::Mutex::new(vec![
        common::feeds::rss("H", &[("a", "Alpha", "<p>Entirely rewritten text.</p>")]),
        common::feeds::rss(
            "H",
            &[(
                "a",
                "Alpha",
                "<p>A new first sentence. TSMC will build a fab in Arizona. More.</p>",
            )],
        ),
        common::feeds::rss(
            "H",
            &[(
                "a",
                "Alpha",
                "<p>TSMC will build a fab in Arizona. More.</p>",
            )],
        ),
    ]);
    let server = common::server::Server::start(move |_| {
        let mut v = versions.lock().unwrap();
        let body = if v.len() > 1 {
            v.pop().unwrap()
        } else {
            v[0].clone()
        };
        common::server::Reply::ok("application/rss+xml", body)
    });
    let db = TempDb::new();
    let mut store = db.open();
    let feed = common::subscribe(&mut store, &server.url("/feed"));
    let fetcher = common::fetcher(veille_core::fetch::FetchConfig::default());
    common::refresh_one(&mut store, &fetcher, feed);
    let article = store.articles(&Default::default()).unwrap()[0].id;
    let h = store
        .add_highlight(article, "a fab in Arizona", "check the date", None)
        .unwrap();
    assert_eq!((h.start, h.end), (16, 32));
    common::refresh_one(&mut store, &fetcher, feed);
    let moved = &store.highlights(article).unwrap()[0];
    assert_eq!((moved.start, moved.end, moved.detached), (38, 54, false));
    assert_eq!(
        &store.article(article).unwrap().text[moved.start..moved.end],
        "a fab in Arizona"
    );
    common::refresh_one(&mut store, &fetcher, feed);
    let detached = &store.highlights(article).unwrap()[0];
    assert!(detached.detached, "kept, marked detached");
    assert_eq!(detached.note, "check the date");
}
