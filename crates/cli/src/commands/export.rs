//! `veille export`, `import`, `backup`, `restore`.

use std::path::Path;

use anyhow::{Context as _, Result};
use veille_core::{export, files, opml};

use super::read::filter_from;
use super::Context;
use crate::cli::{ExportFormat, FilterArgs};

pub fn export(
    ctx: &Context,
    format: ExportFormat,
    out: Option<&Path>,
    filter: &FilterArgs,
) -> Result<()> {
    if format == ExportFormat::Opml {
        return emit(
            out,
            opml::write("Veille subscriptions", &ctx.store.subscriptions()?).as_bytes(),
        );
    }
    let articles = export::select(&ctx.store, &filter_from(filter)?)?;
    match format {
        ExportFormat::Markdown => {
            let dir = out.context("--out FOLDER is needed for markdown (one file per article)")?;
            let names = export::write_markdown_folder(dir, &articles)?;
            eprintln!("wrote {} notes to {}", names.len(), dir.display());
            Ok(())
        }
        ExportFormat::Csv => emit(out, &export::claims_csv(&articles)?),
        ExportFormat::Json => emit(out, export::export_json(articles)?.as_bytes()),
        ExportFormat::Digest => {
            let text = export::digest(&articles, "Veille briefing", &describe(filter));
            emit(out, text.as_bytes())
        }
        ExportFormat::Opml => Ok(()),
    }
}

/// The filters in words, for the digest's header.
fn describe(filter: &FilterArgs) -> String {
    let parts = [
        ("language", &filter.lang),
        ("theme", &filter.theme),
        ("country", &filter.country),
        ("tag", &filter.tag),
        ("since", &filter.since),
        ("until", &filter.until),
    ];
    let mut words: Vec<String> = parts
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} {v}")))
        .collect();
    if filter.starred {
        words.push("starred".to_owned());
    }
    words.join(", ")
}

/// Writes to the file atomically, or to standard output.
fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match out {
        Some(path) => {
            files::write_atomic(path, bytes)?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            use std::io::Write;
            std::io::stdout().write_all(bytes)?;
        }
    }
    Ok(())
}

pub fn import(ctx: &mut Context, file: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let ingest = ctx.ingest()?;
    let report = export::import_json(&mut ctx.store, &text, &ingest)?;
    println!(
        "imported {} articles ({} new), {} tags, {} notes, {} highlights, {} decisions",
        report.articles,
        report.new_articles,
        report.tags,
        report.notes,
        report.highlights,
        report.decisions
    );
    Ok(())
}

pub fn backup(ctx: &Context, path: &Path) -> Result<()> {
    ctx.store.backup_to(path)?;
    println!(
        "backed up {} to {}",
        ctx.store.path().display(),
        path.display()
    );
    Ok(())
}

pub fn restore(ctx: &mut Context, path: &Path) -> Result<()> {
    let report = ctx.store.restore_from(path)?;
    println!(
        "restored {} feeds, {} articles, {} notes from {}; the previous database is kept at {}",
        report.feeds,
        report.articles,
        report.notes,
        path.display(),
        report.previous.display()
    );
    Ok(())
}
