//! Parse-only throughput over a folder of feed files: a bare feed-rs loop, feed-rs plus
//! Veille's sanitiser on each body, and Veille's whole normalisation (decode, parse,
//! sanitise, plain text, language, identity: what ingestion does before analysis) on the
//! same bytes. Prints items/s for each and the ratios to bare feed-rs.
//!
//!     cargo run --release -p veille-bench --bin parse_speed -- --dir CORPUS [--rounds 3]

use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = veille_bench::arg("--dir", PathBuf::from("bench/out/corpus"));
    let rounds: usize = veille_bench::arg("--rounds", 3);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xml" | "json")
        ) {
            files.push((
                format!("https://bench.invalid/{}", path.display()),
                std::fs::read(&path)?,
            ));
        }
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let started = Instant::now();
    let mut bare_items = 0;
    for _ in 0..rounds {
        for (_, body) in &files {
            bare_items += feed_rs::parser::parse(body.as_slice()).map_or(0, |f| f.entries.len());
        }
    }
    let bare = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut sanitised_items = 0;
    for _ in 0..rounds {
        for (_, body) in &files {
            let Ok(feed) = feed_rs::parser::parse(body.as_slice()) else {
                continue;
            };
            for entry in &feed.entries {
                let html = entry
                    .content
                    .as_ref()
                    .and_then(|c| c.body.as_deref())
                    .or(entry.summary.as_ref().map(|s| s.content.as_str()))
                    .unwrap_or_default();
                std::hint::black_box(veille_core::sanitize::sanitize_html(html, None));
                sanitised_items += 1;
            }
        }
    }
    let sanitised = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut veille_items = 0;
    let now = veille_core::time::now();
    for _ in 0..rounds {
        for (url, body) in &files {
            let (text, _) = veille_core::charset::decode(body, None);
            veille_items += veille_core::feed::parse(&text, url, now).map_or(0, |f| f.items.len());
        }
    }
    let veille = started.elapsed().as_secs_f64();
    println!(
        "{} files, {:.1} MB, {} items per round, {rounds} rounds",
        files.len(),
        bytes as f64 / 1e6,
        bare_items / rounds
    );
    println!(
        "bare feed-rs parse:                  {:>9.0} items/s",
        bare_items as f64 / bare
    );
    println!(
        "feed-rs parse + veille sanitiser:    {:>9.0} items/s",
        sanitised_items as f64 / sanitised
    );
    println!(
        "veille decode+parse+sanitise+text:   {:>9.0} items/s",
        veille_items as f64 / veille
    );
    println!(
        "parse+sanitise time / feed-rs time:  {:>9.2}x",
        sanitised / bare
    );
    println!(
        "veille time / feed-rs time:          {:>9.2}x",
        veille / bare
    );
    Ok(())
}
