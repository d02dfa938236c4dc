//! Claims end to end: `veille analyze` on the samples, analysis during fetch, filters by
//! theme and country, the user's tag decisions surviving re-analysis, and the evaluation.

mod common;

use common::feeds::rss;
use common::server::{Reply, Server};
use common::{stderr, stdout, TempDb};

fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(output.status.success(), "veille failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn samples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/samples");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn analyze_prints_claims_with_exact_offsets_in_every_language() {
    let db = TempDb::new();
    let mut args = vec!["analyze", "--format", "jsonl"];
    let files = samples();
    args.extend(files.iter().map(String::as_str));
    let out = db.veille(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for lang in ["en", "fr", "de", "es", "it", "pt", "zh", "ja"] {
        let claims: Vec<&serde_json::Value> = lines.iter().filter(|c| c["lang"] == lang).collect();
        assert!(claims.len() >= 10, "{lang}: only {} claims", claims.len());
        assert!(
            claims
                .iter()
                .any(|c| !c["themes"].as_array().unwrap().is_empty()),
            "{lang}: no theme"
        );
        assert!(
            claims
                .iter()
                .any(|c| !c["countries"].as_array().unwrap().is_empty()),
            "{lang}: no country"
        );
    }
    for claim in &lines {
        for key in [
            "guid",
            "title",
            "lang",
            "sentence_index",
            "text",
            "start",
            "end",
            "score",
            "themes",
            "countries",
            "evidence",
        ] {
            assert!(claim.get(key).is_some(), "missing {key} in {claim}");
        }
        let score = claim["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        // Every tag has evidence, and the evidence is in the sentence.
        let text = claim["text"].as_str().unwrap();
        for evidence in claim["evidence"].as_array().unwrap() {
            assert!(
                text.contains(evidence["match"].as_str().unwrap()),
                "{evidence} not in {text}"
            );
        }
        let evidenced: Vec<&str> = claim["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        for tag in claim["themes"]
            .as_array()
            .unwrap()
            .iter()
            .chain(claim["countries"].as_array().unwrap())
        {
            assert!(
                evidenced.contains(&tag.as_str().unwrap()),
                "{tag} without evidence"
            );
        }
        let (start, end) = (
            claim["start"].as_u64().unwrap(),
            claim["end"].as_u64().unwrap(),
        );
        assert_eq!(end - start, text.len() as u64);
    }
}

#[test]
fn fetched_articles_are_analysed_filtered_and_decisions_survive_reanalysis() {
    let db = TempDb::new();
    assert!(db.veille(&["demo"]).status.success());
    let topics = json(&db.veille(&["topics", "--json"]));
    let themes = topics["themes"].as_array().unwrap();
    assert!(themes.len() >= 10, "{topics}");
    let export_controls = json(&db.veille(&[
        "articles",
        "--theme",
        "export-controls",
        "--limit",
        "500",
        "--json",
    ]));
    let china = json(&db.veille(&["articles", "--country", "CN", "--limit", "500", "--json"]));
    let both = json(&db.veille(&[
        "articles",
        "--theme",
        "export-controls",
        "--country",
        "CN",
        "--lang",
        "fr",
        "--json",
    ]));
    assert!(
        !export_controls.as_array().unwrap().is_empty() && !china.as_array().unwrap().is_empty()
    );
    assert!(
        !both.as_array().unwrap().is_empty(),
        "no French article on export controls about China"
    );
    assert!(both.as_array().unwrap().iter().all(|a| a["lang"] == "fr"));

    // Take a claim tagged CN, reject CN, add a theme it lacked, confirm another.
    let article_id = both[0]["id"].as_i64().unwrap();
    let shown = json(&db.veille(&["show", &article_id.to_string(), "--json"]));
    let claim = shown["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == "CN")
        })
        .expect("a claim tagged CN")
        .clone();
    let claim_id = claim["id"].as_i64().unwrap().to_string();
    assert!(db
        .veille(&["claim", &claim_id, "reject", "CN"])
        .status
        .success());
    assert!(db
        .veille(&["claim", &claim_id, "add", "defense"])
        .status
        .success());
    let bad = db.veille(&["claim", &claim_id, "confirm", "not-a-theme"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("neither a country code"),
        "{}",
        stderr(&bad)
    );

    let check = |db: &TempDb| {
        let shown = json(&db.veille(&["show", &article_id.to_string(), "--json"]));
        let claim = shown["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["text"] == claim["text"])
            .unwrap()
            .clone();
        let tags = claim["tags"].as_array().unwrap();
        let cn = tags.iter().find(|t| t["id"] == "CN").unwrap();
        assert_eq!(cn["verdict"], "rejected");
        let defense = tags.iter().find(|t| t["id"] == "defense").unwrap();
        assert_eq!(
            (defense["provenance"].as_str(), defense["verdict"].as_str()),
            (Some("user"), Some("added"))
        );
        let topics = shown["topics"].as_array().unwrap();
        assert!(topics.iter().any(|t| t["id"] == "defense"));
    };
    check(&db);
    let out = db.veille(&["reanalyze", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("re-analysed"), "{}", stdout(&out));
    check(&db);
    let defense = json(&db.veille(&["articles", "--theme", "defense", "--limit", "500", "--json"]));
    assert!(defense
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == article_id));
    // Nothing is out of date after a full re-analysis.
    assert!(stdout(&db.veille(&["reanalyze"])).starts_with("re-analysed 0 articles"));
}

#[test]
fn translations_get_the_same_tags_as_their_original() {
    let db = TempDb::new();
    let files = samples();
    let mut args = vec!["analyze", "--format", "jsonl"];
    args.extend(files.iter().map(String::as_str));
    let out = db.veille(&args);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let tags_of = |pair: &str,
                   lang: &str|
     -> (
        std::collections::BTreeSet<String>,
        std::collections::BTreeSet<String>,
    ) {
        let mut themes = std::collections::BTreeSet::new();
        let mut countries = std::collections::BTreeSet::new();
        for claim in lines
            .iter()
            .filter(|c| c["lang"] == lang && c["guid"].as_str().unwrap().contains(pair))
        {
            themes.extend(
                claim["themes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned()),
            );
            countries.extend(
                claim["countries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned()),
            );
        }
        (themes, countries)
    };
    for (pair, lang) in [
        ("pair-entity-list", "fr"),
        ("pair-tsmc-arizona", "de"),
        ("pair-rapidus-2nm", "ja"),
        ("pair-deepseek-r1", "zh"),
    ] {
        let (en_themes, en_countries) = tags_of(pair, "en");
        let (themes, countries) = tags_of(pair, lang);
        assert!(!en_themes.is_empty(), "{pair}: the original has no themes");
        assert_eq!(countries, en_countries, "{pair} countries in {lang}");
        let shared = themes.intersection(&en_themes).count() as f64;
        let union = themes.union(&en_themes).count() as f64;
        assert!(
            shared / union >= 0.6,
            "{pair} themes in {lang}: {themes:?} vs {en_themes:?}"
        );
    }
}

#[test]
fn eval_prints_per_language_figures() {
    let db = TempDb::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/eval");
    let out = db.veille(&["eval", "--dir", dir, "--json"]);
    let report = json(&out);
    for split in ["dev", "heldout"] {
        let langs = report[split]["per_language"].as_object().unwrap();
        assert_eq!(langs.len(), 8, "{split}");
    }
    let text = stdout(&db.veille(&["eval", "--dir", dir]));
    assert!(
        text.contains("overall") && text.contains("translations:"),
        "{text}"
    );
}

/// A big feed is analysed on every core and its analyses reach the writer piece by piece
/// while it writes the feed: every article must still get exactly its own analysis.
#[test]
fn each_article_of_a_big_feed_gets_its_own_analysis() {
    use veille_core::analysis::{Analyzer, TagKind};
    use veille_core::assets::Assets;
    use veille_core::store::ArticleFilter;

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/eval/dev");
    let bodies: Vec<String> = veille_core::analysis::eval::load(dir.as_ref())
        .unwrap()
        .iter()
        .map(|a| {
            a.sentences
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let items: Vec<(String, String, String)> = (0..700)
        .map(|i| {
            let body = &bodies[i % bodies.len()];
            (
                format!("big-{i}"),
                format!("Item {i}"),
                format!("<p>{body}</p><p>Item {i} sold {i} units in 2025.</p>"),
            )
        })
        .collect();
    let server = Server::routes(vec![(
        "/big",
        Reply::ok("application/rss+xml", rss("Big", &items)),
    )]);
    let db = TempDb::new();
    assert!(db
        .veille(&["feeds", "add", &server.url("/big")])
        .status
        .success());

    let store = db.open();
    let analyzer = Analyzer::load(&Assets::Embedded).unwrap();
    let filter = ArticleFilter {
        limit: Some(1_000),
        ..ArticleFilter::default()
    };
    let articles = store.articles(&filter).unwrap();
    assert_eq!(articles.len(), 700);
    for summary in &articles {
        let article = store.article(summary.id).unwrap();
        let lang = summary.lang.as_deref().unwrap_or("en");
        let expected: Vec<_> = analyzer
            .analyze(&article.text, lang)
            .claims
            .into_iter()
            .map(|c| {
                let sorted = |mut ids: Vec<String>| {
                    ids.sort();
                    ids
                };
                let a = c.assessment;
                (
                    c.start as i64,
                    c.end as i64,
                    sorted(a.themes),
                    sorted(a.countries),
                )
            })
            .collect();
        let stored: Vec<_> = store
            .claims(summary.id)
            .unwrap()
            .iter()
            .map(|c| {
                let ids = |kind| {
                    c.ids(kind)
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                };
                (c.start, c.end, ids(TagKind::Theme), ids(TagKind::Country))
            })
            .collect();
        assert!(!stored.is_empty(), "{}: no claims", summary.title);
        assert_eq!(stored, expected, "{}", summary.title);
    }
}

/// `--pool` reports the given splits as one set: its counts are the sums of theirs, so a
/// figure quoted from it rests on every sentence of them.
#[test]
fn eval_pools_the_splits_it_is_given() {
    let db = TempDb::new();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/eval");
    let (a, b) = (format!("{root}/heldout"), format!("{root}/heldout2"));
    let out = db.veille(&["eval", "--dir", &a, "--dir", &b, "--pool", "--json"]);
    let report = json(&out);
    let splits = report.as_object().unwrap();
    assert_eq!(splits.len(), 3, "{:?}", splits.keys());
    let overall = |split: &str| &report[split]["overall"];
    let pooled = overall("pooled (heldout + heldout2)");
    let fields = [
        vec!["sentences"],
        vec!["gold_claims"],
        vec!["claims", "tp"],
        vec!["claims", "fp"],
        vec!["claims", "fn"],
        vec!["themes", "tp"],
        vec!["themes", "fp"],
        vec!["themes", "fn"],
        vec!["countries", "tp"],
        vec!["countries", "fn"],
    ];
    for path in fields {
        let at = |v: &serde_json::Value| path.iter().fold(v.clone(), |v, k| v[k].clone());
        let sum =
            at(overall("heldout")).as_u64().unwrap() + at(overall("heldout2")).as_u64().unwrap();
        assert_eq!(at(pooled).as_u64(), Some(sum), "{path:?}");
    }
}

/// Lists filtered by theme, country and language hold exactly the articles those topics
/// tag, newest first, whichever way the store chooses to test a topic (per article for
/// common topics, as a set for rare ones: the samples have both).
#[test]
fn topic_filters_list_exactly_the_tagged_articles() {
    use veille_core::analysis::TagKind;
    use veille_core::store::ArticleFilter;

    let db = TempDb::new();
    assert!(db.veille(&["demo"]).status.success());
    let store = db.open();
    let all = store.articles(&ArticleFilter::default()).unwrap();
    let ids: Vec<i64> = all.iter().map(|a| a.id).collect();
    let topics = store.topics_of(&ids).unwrap();
    let largest_id = *ids.iter().max().unwrap();
    let counts: Vec<(TagKind, String, i64)> = [TagKind::Theme, TagKind::Country]
        .into_iter()
        .flat_map(|kind| {
            store
                .topic_counts(kind)
                .unwrap()
                .into_iter()
                .map(move |(value, n)| (kind, value, n))
        })
        .collect();
    assert!(
        counts.iter().any(|(_, _, n)| n * 20 < largest_id),
        "no rare topic"
    );
    assert!(
        counts.iter().any(|(_, _, n)| n * 20 >= largest_id),
        "no common topic"
    );
    let tagged = |id: i64, kind: TagKind, value: &str| {
        topics
            .get(&id)
            .is_some_and(|t| t.iter().any(|t| t.kind == kind && t.id == value))
    };
    for (kind, value, _) in &counts {
        for lang in [None, Some("fr"), Some("zh")] {
            let mut filter = ArticleFilter {
                lang: lang.map(str::to_owned),
                ..ArticleFilter::default()
            };
            match kind {
                TagKind::Theme => filter.theme = Some(value.clone()),
                TagKind::Country => filter.country = Some(value.clone()),
            }
            let listed: Vec<i64> = store
                .articles(&filter)
                .unwrap()
                .iter()
                .map(|a| a.id)
                .collect();
            let expected: Vec<i64> = all
                .iter()
                .filter(|a| lang.is_none_or(|l| a.lang.as_deref() == Some(l)))
                .filter(|a| tagged(a.id, *kind, value))
                .map(|a| a.id)
                .collect();
            assert_eq!(listed, expected, "{kind:?} {value} {lang:?}");
            assert_eq!(
                store.count_articles(&filter).unwrap(),
                expected.len() as i64
            );
        }
    }
}

/// A new article's topics are written straight from its analysis; once the user decides
/// anything they are recomputed from the stored claims and decisions. Confirming a tag
/// changes nothing, so both ways must give the same topics for every article.
#[test]
fn topics_from_the_analysis_match_topics_rebuilt_from_the_claims() {
    use veille_core::analysis::TagKind;
    use veille_core::store::{ArticleFilter, TagDecision, Verdict};

    let db = TempDb::new();
    assert!(db.veille(&["demo"]).status.success());
    let mut store = db.open();
    let ids: Vec<i64> = store
        .articles(&ArticleFilter::default())
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    let before = store.topics_of(&ids).unwrap();
    let mut checked = 0;
    for id in &ids {
        let claims = store.claims(*id).unwrap();
        let Some((claim, theme)) = claims
            .iter()
            .find_map(|c| Some((c, c.ids(TagKind::Theme).first()?.to_string())))
        else {
            continue;
        };
        store
            .decide(&TagDecision {
                claim_id: claim.id,
                kind: TagKind::Theme,
                value: theme,
                verdict: Verdict::Confirmed,
            })
            .unwrap();
        let mut rebuilt = store.article_topics(*id).unwrap();
        let mut fresh = before.get(id).cloned().unwrap_or_default();
        let key = |t: &veille_core::store::Topic| (t.kind.as_str(), t.id.clone(), t.claims);
        rebuilt.sort_by_key(key);
        fresh.sort_by_key(key);
        assert_eq!(
            rebuilt.iter().map(key).collect::<Vec<_>>(),
            fresh.iter().map(key).collect::<Vec<_>>(),
            "article {id}"
        );
        checked += 1;
    }
    assert!(
        checked >= 40,
        "only {checked} articles had a theme to confirm"
    );
}
