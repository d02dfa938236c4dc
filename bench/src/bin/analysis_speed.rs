//! Analysis throughput on one core: articles of about 5 KB built from the samples of each
//! language, analysed repeatedly. Prints articles/s per language and overall.
//!
//!     cargo run --release -p veille-bench --bin analysis_speed [-- --rounds 20]

use std::collections::BTreeMap;
use std::time::Instant;

use veille_core::analysis::Analyzer;
use veille_core::assets::Assets;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rounds: usize = veille_bench::arg("--rounds", 20);
    let analyzer = Analyzer::load(&Assets::Embedded)?;
    let mut by_lang: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in veille_bench::sample_items()? {
        let lang = item.lang.clone().unwrap_or_else(|| "en".to_owned());
        by_lang.entry(lang).or_default().push(item.text);
    }
    // Articles of about 5 KB: a language's sample texts joined until the size is reached.
    let mut articles: Vec<(String, String)> = Vec::new();
    for (lang, texts) in &by_lang {
        for start in 0..texts.len() {
            let mut text = String::new();
            let mut i = start;
            while text.len() < 5_000 {
                text.push_str(&texts[i % texts.len()]);
                text.push_str("\n\n");
                i += 1;
            }
            articles.push((lang.clone(), text));
        }
    }
    let bytes: usize = articles.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{} articles of {:.1} KB on average, {rounds} rounds, one thread",
        articles.len(),
        bytes as f64 / articles.len() as f64 / 1024.0
    );
    println!("{:<8} {:>12} {:>10}", "lang", "articles/s", "claims");
    let mut total_time = 0.0;
    let mut total_articles = 0;
    for lang in by_lang.keys() {
        let subset: Vec<&String> = articles
            .iter()
            .filter(|(l, _)| l == lang)
            .map(|(_, t)| t)
            .collect();
        let mut claims = 0;
        let started = Instant::now();
        for _ in 0..rounds {
            for text in &subset {
                claims += analyzer.analyze(text, lang).claims.len();
            }
        }
        let secs = started.elapsed().as_secs_f64();
        let n = subset.len() * rounds;
        total_time += secs;
        total_articles += n;
        println!(
            "{lang:<8} {:>12.0} {:>10}",
            n as f64 / secs,
            claims / rounds
        );
    }
    println!(
        "{:<8} {:>12.0}",
        "overall",
        total_articles as f64 / total_time
    );
    Ok(())
}
