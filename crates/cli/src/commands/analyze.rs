//! `veille analyze`, `reanalyze`, `eval`, `claim` and `topics`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;
use veille_core::analysis::{eval, Analyzer, Claim, TagKind};
use veille_core::assets::Assets;
use veille_core::fetch::{Document, Outcome, Validators};
use veille_core::refresh;
use veille_core::store::{TagDecision, Verdict};

use super::{block_on, fetcher, Context};
use crate::cli::{AnalyzeFormat, ClaimAction};
use crate::output;

/// One line of `veille analyze --format jsonl`.
#[derive(Serialize)]
struct ClaimLine<'a> {
    guid: &'a str,
    title: &'a str,
    lang: &'a str,
    #[serde(flatten)]
    claim: &'a Claim,
}

pub fn analyze(inputs: &[String], format: AnalyzeFormat, threshold: Option<f64>) -> Result<()> {
    let assets = Assets::from_env();
    let mut analyzer = Analyzer::load(&assets)?;
    if let Some(threshold) = threshold {
        analyzer.set_threshold(threshold);
    }
    let mut failed = 0;
    for input in inputs {
        if let Err(error) = analyze_input(&analyzer, &assets, input, format) {
            eprintln!("veille: {input}: {}", output::error_chain(&error));
            failed += 1;
        }
    }
    anyhow::ensure!(
        failed == 0,
        "{failed} of {} inputs could not be analysed",
        inputs.len()
    );
    Ok(())
}

fn analyze_input(
    analyzer: &Analyzer,
    assets: &Assets,
    input: &str,
    format: AnalyzeFormat,
) -> Result<()> {
    let document = load_document(assets, input)?;
    let parsed = refresh::parse_document(&document, None)?;
    for item in &parsed.items {
        let lang = item.lang.as_deref().unwrap_or("en");
        let analysis = analyzer.analyze(&item.text, lang);
        match format {
            AnalyzeFormat::Jsonl => {
                for claim in &analysis.claims {
                    let line = ClaimLine {
                        guid: &item.guid,
                        title: &item.title,
                        lang,
                        claim,
                    };
                    println!("{}", serde_json::to_string(&line)?);
                }
            }
            AnalyzeFormat::Text => {
                println!(
                    "== {} [{lang}] {} claims in {} sentences",
                    item.title,
                    analysis.claims.len(),
                    analysis.sentences
                );
                for claim in &analysis.claims {
                    println!("  {:.2}  {}", claim.assessment.score, claim.text);
                    let tags: Vec<&str> = claim
                        .assessment
                        .themes
                        .iter()
                        .chain(&claim.assessment.countries)
                        .map(String::as_str)
                        .collect();
                    if !tags.is_empty() {
                        println!("        {}", tags.join(" "));
                    }
                }
            }
        }
    }
    Ok(())
}

fn load_document(assets: &Assets, input: &str) -> Result<Document> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let fetcher = fetcher(assets)?;
        return match block_on(fetcher.fetch(input, &Validators::default()))?? {
            Outcome::Fetched { document, .. } => Ok(document),
            _ => anyhow::bail!("the server sent no feed"),
        };
    }
    let path = Path::new(input);
    let body = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    Ok(Document {
        body,
        content_type: None,
        validators: Validators::default(),
        final_url: veille_core::fetch::file_url(&absolute),
    })
}

pub fn reanalyze(ctx: &mut Context, all: bool) -> Result<()> {
    let analyzer = ctx.analyzer()?;
    let ids = ctx.store.articles_to_analyze(analyzer.fingerprint(), all)?;
    let total = ids.len();
    ctx.store.prepare_for_bulk_writes()?;
    let done = ctx.store.reanalyze(
        &ids,
        analyzer.fingerprint(),
        |text, lang| analyzer.analyze(text, lang),
        |done| eprint!("\ranalysed {done}/{total}"),
    )?;
    if total > 0 {
        eprintln!();
    }
    println!(
        "re-analysed {done} articles (analysis version {}, data {})",
        veille_core::analysis::ANALYSIS_VERSION,
        analyzer.fingerprint()
    );
    Ok(())
}

pub fn claim(ctx: &mut Context, id: i64, action: ClaimAction, tag: &str) -> Result<()> {
    let analyzer = ctx.analyzer()?;
    let tag = tag.trim();
    let kind = if analyzer.themes().iter().any(|(theme, _)| theme == tag) {
        TagKind::Theme
    } else if tag.len() == 2 && tag.chars().all(|c| c.is_ascii_uppercase()) {
        TagKind::Country
    } else {
        let themes: Vec<&str> = analyzer.themes().iter().map(|(t, _)| t.as_str()).collect();
        anyhow::bail!(
            "{tag:?} is neither a country code (CN, EU…) nor a theme ({})",
            themes.join(", ")
        );
    };
    let verdict = match action {
        ClaimAction::Confirm => Verdict::Confirmed,
        ClaimAction::Reject => Verdict::Rejected,
        ClaimAction::Add => Verdict::Added,
    };
    ctx.store.decide(&TagDecision {
        claim_id: id,
        kind,
        value: tag.to_owned(),
        verdict,
    })?;
    println!("claim {id}: {} {tag} {}", kind.as_str(), verdict.as_str());
    Ok(())
}

pub fn topics(ctx: &Context, json: bool) -> Result<()> {
    let themes = ctx.store.topic_counts(TagKind::Theme)?;
    let countries = ctx.store.topic_counts(TagKind::Country)?;
    if json {
        return output::json(&serde_json::json!({ "themes": themes, "countries": countries }));
    }
    println!("themes:");
    for (theme, n) in &themes {
        println!("  {n:>6}  {theme}");
    }
    println!("countries:");
    for (country, n) in &countries {
        println!("  {n:>6}  {country}");
    }
    Ok(())
}

/// Evaluates every split under each of `dirs` (a folder without sub-folders is one split);
/// with `pool`, also all of them as one set, for a figure that rests on more sentences.
pub fn eval(dirs: &[PathBuf], pool: bool, mistakes: bool, json: bool) -> Result<()> {
    let analyzer = Analyzer::load(&Assets::from_env())?;
    let mut splits: Vec<(String, Vec<eval::LabelledArticle>)> = Vec::new();
    for dir in dirs {
        splits.extend(load_splits(dir)?);
    }
    splits.sort_by(|a, b| a.0.cmp(&b.0));
    if pool && splits.len() > 1 {
        let names: Vec<&str> = splits.iter().map(|(name, _)| name.as_str()).collect();
        let pooled = splits.iter().flat_map(|(_, a)| a.iter().cloned()).collect();
        splits.push((format!("pooled ({})", names.join(" + ")), pooled));
    }
    let reports: Vec<(String, eval::Report)> = splits
        .iter()
        .map(|(name, articles)| (name.clone(), eval::evaluate(&analyzer, articles)))
        .collect();
    if json {
        let value: serde_json::Map<String, serde_json::Value> = reports
            .iter()
            .map(|(name, r)| (name.clone(), serde_json::to_value(r).unwrap_or_default()))
            .collect();
        return output::json(&value);
    }
    for (name, report) in &reports {
        print_report(name, report, analyzer.threshold());
        if mistakes {
            for m in &report.mistakes {
                println!(
                    "  [{}] gold={} score={:.2} missing={:?} extra={:?}\n      {}",
                    m.article, m.gold_claim, m.score, m.missing, m.extra, m.text
                );
            }
        }
    }
    Ok(())
}

/// The splits in `dir`: one per sub-folder, or `dir` itself when it has none.
fn load_splits(dir: &Path) -> Result<Vec<(String, Vec<eval::LabelledArticle>)>> {
    let name_of = |path: &Path| {
        path.file_name()
            .map_or_else(|| "all".to_owned(), |n| n.to_string_lossy().into_owned())
    };
    let mut splits = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            splits.push((name_of(&path), eval::load(&path)?));
        }
    }
    if splits.is_empty() {
        splits.push((name_of(dir), eval::load(dir)?));
    }
    Ok(splits)
}

fn print_report(name: &str, report: &eval::Report, threshold: f64) {
    println!("\n{name}: claim threshold {threshold}");
    println!(
        "{:<8} {:>5} {:>5} {:>7} | {:>6} {:>6} {:>6} | {:>8} | {:>10} | {:>8}",
        "lang", "sent", "gold", "claimed", "P", "R", "F1", "theme F1", "country F1", "split F1"
    );
    let rows = report
        .per_language
        .iter()
        .map(|(lang, s)| (lang.as_str(), s))
        .chain([("overall", &report.overall)]);
    for (lang, s) in rows {
        println!(
            "{:<8} {:>5} {:>5} {:>7} | {:>6.3} {:>6.3} {:>6.3} | {:>8.3} | {:>10.3} | {:>8.3}",
            lang,
            s.sentences,
            s.gold_claims,
            s.claims.tp + s.claims.fp,
            s.claims.precision(),
            s.claims.recall(),
            s.claims.f1(),
            s.themes.f1(),
            s.countries.f1(),
            s.boundaries.f1()
        );
    }
    let a = &report.agreement;
    if a.sentences > 0 {
        let pct = |n: usize| 100.0 * n as f64 / a.sentences as f64;
        println!(
            "translations: {} pairs, {} sentences: same claim decision {:.1}%, same themes {:.1}%, same countries {:.1}%",
            a.pairs,
            a.sentences,
            pct(a.same_claim_decision),
            pct(a.same_themes),
            pct(a.same_countries)
        );
    }
}
