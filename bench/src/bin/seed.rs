//! Fills a database with many articles (the samples multiplied, analysed and indexed
//! through the real store), for scale measurements of the CLI and the app.
//!
//!     cargo run --release -p veille-bench --bin seed -- --db /tmp/50k.db --articles 50000

use std::path::PathBuf;
use std::time::Instant;

use veille_core::analysis::Analyzer;
use veille_core::assets::Assets;
use veille_core::feed::ParsedFeed;
use veille_core::fetch::Validators;
use veille_core::refresh::Ingest;
use veille_core::store::{NewFeed, Store};

const PER_FEED: usize = 500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db: PathBuf = veille_bench::arg("--db", PathBuf::from("bench-articles.db"));
    let count: usize = veille_bench::arg("--articles", 50_000);
    let samples = veille_bench::sample_items()?;
    let analyzer = Analyzer::load(&Assets::Embedded)?;
    let mut store = Store::open(&db)?;
    store.prepare_for_bulk_writes()?;
    let ingest = Ingest::analyzing(std::sync::Arc::new(analyzer));
    let started = Instant::now();
    let day = 86_400;
    let now = veille_core::time::now();
    for feed_index in 0..count.div_ceil(PER_FEED) {
        let (feed_id, _) = store.add_feed(&NewFeed {
            url: format!("https://bench.invalid/feed/{feed_index}"),
            title: Some(format!("Bench feed {feed_index}")),
            folder: Some(format!("Bench {}", feed_index % 10)),
            ..NewFeed::default()
        })?;
        let items = (0..PER_FEED.min(count - feed_index * PER_FEED))
            .map(|i| {
                let n = feed_index * PER_FEED + i;
                let mut item = samples[n % samples.len()].clone();
                item.key = format!("bench:{n}");
                item.guid = item.key.clone();
                item.title = format!("{} · {n}", item.title);
                item.content_hash = format!("{n}");
                item.published = Some(now - (n as i64 * day / 50));
                item
            })
            .collect();
        let parsed = ParsedFeed {
            title: format!("Bench feed {feed_index}"),
            site_url: None,
            language: None,
            items,
        };
        // A feed this big is analysed on every core while the writer stores it, as in a
        // refresh, so analysis and writing overlap and are timed together.
        let prepared = ingest.prepare(&db, feed_id, &parsed.items);
        store.apply_feed(
            feed_id,
            &parsed,
            &Validators::default(),
            None,
            ingest.hook(prepared),
        )?;
    }
    let secs = started.elapsed().as_secs_f64();
    let size = std::fs::metadata(&db)?.len();
    println!(
        "{count} articles in {secs:.1} s ({:.0} articles/s, analysed and indexed); database {:.1} MB ({:.2} MB per 1,000 articles)",
        count as f64 / secs,
        size as f64 / 1e6,
        size as f64 / 1e6 / (count as f64 / 1000.0)
    );
    Ok(())
}
