//! Query latencies on a large database (see `seed`): full-text search in Latin and CJK
//! scripts, filtered lists (theme + country + language), database size per 1,000
//! articles, and re-analysis throughput. Prints p50/p99 in milliseconds, after one untimed
//! pass of each query: latencies of an app in use, whose pages are in the cache (the cold
//! first paint is measured by `bench/app_scale.py`).
//!
//!     cargo run --release -p veille-bench --bin scale -- --db /tmp/100k.db

use std::path::PathBuf;
use std::time::Instant;

use veille_core::analysis::Analyzer;
use veille_core::assets::Assets;
use veille_core::store::{ArticleFilter, Store};

fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn time_ms(mut work: impl FnMut()) -> f64 {
    let started = Instant::now();
    work();
    started.elapsed().as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db: PathBuf = veille_bench::arg("--db", PathBuf::from("bench-articles.db"));
    let repeat: usize = veille_bench::arg("--repeat", 50);
    let reanalyse: usize = veille_bench::arg("--reanalyse", 2000);
    let mut store = Store::open(&db)?;
    let total = store.count_articles(&ArticleFilter::default())?;
    let size = std::fs::metadata(&db)?.len() as f64;
    println!(
        "{total} articles; database {:.0} MB = {:.2} MB per 1,000 articles",
        size / 1e6,
        size / 1e6 / (total as f64 / 1000.0)
    );

    let searches = [
        (
            "Latin",
            vec![
                "export controls",
                "semiconducteurs",
                "Rechenzentrum",
                "Nvidia",
                "inteligencia artificial",
            ],
        ),
        (
            "CJK",
            vec!["芯片", "半導体", "出口管制", "人工智能", "データセンター"],
        ),
    ];
    for (script, queries) in searches {
        let mut samples = Vec::new();
        let mut hits = 0;
        for q in &queries {
            let _ = store.search(q, 50);
        }
        for _ in 0..repeat {
            for q in &queries {
                samples.push(time_ms(|| {
                    hits += store.search(q, 50).map(|h| h.len()).unwrap_or(0)
                }));
            }
        }
        let (p50, p99) = percentiles(samples);
        println!(
            "search {script:<5} p50 {p50:>7.2} ms   p99 {p99:>7.2} ms   ({} hits per query)",
            hits / repeat / queries.len()
        );
    }

    let filters = [
        (
            "theme+country+lang",
            ArticleFilter {
                theme: Some("export-controls".into()),
                country: Some("CN".into()),
                lang: Some("fr".into()),
                ..Default::default()
            },
        ),
        (
            "theme",
            ArticleFilter {
                theme: Some("ai-chips".into()),
                ..Default::default()
            },
        ),
        (
            "unread, all",
            ArticleFilter {
                unread_only: true,
                ..Default::default()
            },
        ),
    ];
    for (name, filter) in filters {
        let page = ArticleFilter {
            limit: Some(100),
            ..filter.clone()
        };
        let list = || {
            let _ = store.count_articles(&filter);
            let _ = store.articles(&page);
        };
        list();
        let samples: Vec<f64> = (0..repeat).map(|_| time_ms(list)).collect();
        let (p50, p99) = percentiles(samples);
        println!(
            "list {name:<19} p50 {p50:>7.2} ms   p99 {p99:>7.2} ms   (count + first page of 100)"
        );
    }

    let analyzer = Analyzer::load(&Assets::Embedded)?;
    let ids: Vec<i64> = store
        .articles_to_analyze("", true)?
        .into_iter()
        .take(reanalyse)
        .collect();
    let started = Instant::now();
    let done = store.reanalyze(
        &ids,
        analyzer.fingerprint(),
        |text, lang| analyzer.analyze(text, lang),
        |_| {},
    )?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "re-analysis: {done} articles in {secs:.2} s = {:.0} articles/s (analysis and storage)",
        done as f64 / secs
    );
    Ok(())
}
