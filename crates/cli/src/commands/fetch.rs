//! `veille fetch` and `veille demo`.

use anyhow::Result;
use veille_core::refresh::{self, FeedReport, Status};
use veille_core::{samples, time};

use super::{block_on, Context};
use crate::output::{self, clip};

pub fn fetch(ctx: &mut Context, only: Option<&str>, json: bool, max_size_mib: u32) -> Result<()> {
    let feeds = match only {
        Some(feed) => vec![ctx.store.find_feed(feed)?],
        None => ctx.store.feeds()?,
    };
    let fetcher = ctx.fetcher_capped(max_size_mib)?;
    let ingest = ctx.ingest()?;
    let reports = block_on(refresh::refresh(
        &mut ctx.store,
        &fetcher,
        feeds,
        &ingest,
        |report| {
            if !json {
                println!("{}", report_line(report));
            }
        },
    ))??;
    if json {
        return output::json(&reports);
    }
    println!("{}", summary(&reports));
    Ok(())
}

pub fn demo(ctx: &mut Context) -> Result<()> {
    let fetcher = ctx.fetcher()?;
    let ingest = ctx.ingest()?;
    let reports = block_on(samples::import(
        &mut ctx.store,
        &fetcher,
        &ctx.assets,
        &ingest,
    ))??;
    for report in &reports {
        println!("{}", report_line(report));
    }
    println!("{}", summary(&reports));
    let languages = ctx.store.language_counts()?;
    let total: i64 = languages.iter().map(|(_, n)| n).sum();
    let by_lang: Vec<String> = languages
        .iter()
        .map(|(lang, n)| format!("{lang} {n}"))
        .collect();
    println!(
        "\nThe database {} holds {total} articles: {}",
        ctx.store.path().display(),
        by_lang.join(", ")
    );
    println!("Try: veille articles --lang fr | veille search 芯片 | veille show ID");
    Ok(())
}

fn report_line(report: &FeedReport) -> String {
    let name = clip(
        if report.title.is_empty() {
            &report.url
        } else {
            &report.title
        },
        48,
    );
    let detail = match report.status {
        Status::Updated => format!("{} new, {} updated", report.new, report.updated),
        Status::NotModified => "not modified".to_owned(),
        Status::Skipped => match report.retry_at {
            Some(ts) => format!("skipped until {} (server asked to wait)", time::rfc3339(ts)),
            None => "skipped: the feed is gone (410)".to_owned(),
        },
        _ => format!(
            "ERROR {}: {}",
            report.error_kind.map_or("", |k| k.as_str()),
            report.error.as_deref().unwrap_or("")
        ),
    };
    format!("[{:>4}] {name:<48}  {detail}", report.feed_id)
}

fn summary(reports: &[FeedReport]) -> String {
    let count = |status: Status| reports.iter().filter(|r| r.status == status).count();
    let failed = reports
        .iter()
        .filter(|r| {
            matches!(
                r.status,
                Status::Failed | Status::Gone | Status::RateLimited
            )
        })
        .count();
    let new: usize = reports.iter().map(|r| r.new).sum();
    let updated: usize = reports.iter().map(|r| r.updated).sum();
    format!(
        "{} feeds: {} updated, {} not modified, {} skipped, {failed} failed; {new} new and {updated} updated articles",
        reports.len(),
        count(Status::Updated),
        count(Status::NotModified),
        count(Status::Skipped)
    )
}
