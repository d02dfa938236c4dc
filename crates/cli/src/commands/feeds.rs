//! `veille feeds …`

use anyhow::{Context as _, Result};
use veille_core::refresh;
use veille_core::store::NewFeed;
use veille_core::{files, opml, time};

use super::{block_on, Context};
use crate::cli::FeedsCommand;
use crate::output::{self, clip};

pub fn run(ctx: &mut Context, command: FeedsCommand) -> Result<()> {
    match command {
        FeedsCommand::Add { url, title, folder } => add(ctx, url, title, folder),
        FeedsCommand::List { json } => list(ctx, json),
        FeedsCommand::Remove { feed, folder } => remove(ctx, feed, folder),
        FeedsCommand::Import { file } => import(ctx, &file),
        FeedsCommand::Export { out } => export(ctx, out.as_deref()),
    }
}

fn add(
    ctx: &mut Context,
    url: String,
    title: Option<String>,
    folder: Option<String>,
) -> Result<()> {
    let fetcher = ctx.fetcher()?;
    let new = NewFeed {
        url,
        title,
        folder,
        ..NewFeed::default()
    };
    let ingest = ctx.ingest()?;
    let report = block_on(refresh::subscribe(&mut ctx.store, &fetcher, new, &ingest))??;
    println!(
        "added [{}] {} <{}>: {} articles",
        report.feed_id, report.title, report.url, report.new
    );
    Ok(())
}

fn list(ctx: &Context, json: bool) -> Result<()> {
    let feeds = ctx.store.feeds()?;
    if json {
        return output::json(&feeds);
    }
    for feed in &feeds {
        let state = match (&feed.last_error, feed.last_success_at) {
            (Some(error), _) => format!("ERROR ({} in a row): {error}", feed.failures),
            (None, Some(ts)) => format!("ok {}", time::rfc3339(ts)),
            (None, None) => "never fetched".to_owned(),
        };
        println!(
            "{:>5}  {:<18} {:<40} {:>5} articles  {}\n       {}",
            feed.id,
            clip(feed.folder.as_deref().unwrap_or("-"), 18),
            clip(
                if feed.title.is_empty() {
                    &feed.url
                } else {
                    &feed.title
                },
                40
            ),
            feed.articles,
            state,
            feed.url
        );
    }
    println!("{} feeds", feeds.len());
    Ok(())
}

fn remove(ctx: &mut Context, feed: Option<String>, folder: Option<String>) -> Result<()> {
    let ids = match (feed, folder) {
        (Some(feed), _) => vec![ctx.store.find_feed(&feed)?.id],
        (None, Some(folder)) => {
            let ids = ctx.store.folder_feeds(&folder)?;
            anyhow::ensure!(!ids.is_empty(), "no folder named {folder:?}");
            ids
        }
        (None, None) => anyhow::bail!("name a feed or a --folder"),
    };
    let (mut deleted, mut kept) = (0, 0);
    for id in &ids {
        let removed = ctx.store.remove_feed(*id)?;
        deleted += removed.deleted;
        kept += removed.kept;
    }
    println!(
        "removed {} feed(s) and {deleted} article(s); kept {kept} starred article(s)",
        ids.len()
    );
    Ok(())
}

fn import(ctx: &mut Context, file: &std::path::Path) -> Result<()> {
    let text = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8_lossy(&text);
    let subscriptions = opml::read(&text)
        .with_context(|| format!("{} is not a readable OPML file", file.display()))?;
    let total = subscriptions.len();
    let mut added = 0;
    for sub in subscriptions {
        if ctx.store.add_feed(&NewFeed::from(sub))?.1 {
            added += 1;
        }
    }
    println!(
        "{added} feeds added, {} already subscribed ({total} in the file)",
        total - added
    );
    Ok(())
}

fn export(ctx: &Context, out: Option<&std::path::Path>) -> Result<()> {
    let text = opml::write("Veille subscriptions", &ctx.store.subscriptions()?);
    match out {
        Some(path) => {
            files::write_atomic(path, text.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
