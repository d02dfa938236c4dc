//! Command dispatch: open the database, run the command, print the result.

mod analyze;
mod export;
mod feeds;
mod fetch;
mod read;
mod user;

use anyhow::Result;
use std::path::PathBuf;

use veille_core::analysis::Analyzer;
use veille_core::assets::Assets;
use veille_core::fetch::{FetchConfig, Fetcher};
use veille_core::refresh::Ingest;
use veille_core::store::Store;

use crate::cli::{Cli, Command};

/// What every command may need, opened once.
pub struct Context {
    pub store: Store,
    pub assets: Assets,
}

impl Context {
    fn open(db: Option<PathBuf>) -> Result<Context> {
        let path = match db {
            Some(path) => path,
            None => Store::default_path()?,
        };
        Ok(Context {
            store: Store::open(&path)?,
            assets: Assets::from_env(),
        })
    }

    pub fn fetcher(&self) -> Result<Fetcher> {
        fetcher(&self.assets)
    }

    /// A fetcher that accepts responses up to `max_mib` MiB.
    pub fn fetcher_capped(&self, max_mib: u32) -> Result<Fetcher> {
        let config = FetchConfig {
            max_bytes: max_mib as usize * 1024 * 1024,
            ..FetchConfig::default()
        };
        Ok(Fetcher::new(config, self.assets.clone())?)
    }

    pub fn analyzer(&self) -> Result<Analyzer> {
        Ok(Analyzer::load(&self.assets)?)
    }

    /// Ingestion that analyses every new or changed article.
    pub fn ingest(&self) -> Result<Ingest> {
        Ok(Ingest::analyzing(std::sync::Arc::new(self.analyzer()?)))
    }
}

pub fn fetcher(assets: &Assets) -> Result<Fetcher> {
    Ok(Fetcher::new(FetchConfig::default(), assets.clone())?)
}

/// Async work (fetching) runs on a runtime made for the command.
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(future))
}

pub fn run(cli: Cli) -> Result<()> {
    let Cli { db, command } = cli;
    match command {
        Command::Analyze {
            inputs,
            format,
            threshold,
        } => return analyze::analyze(&inputs, format, threshold),
        Command::Eval {
            dir,
            pool,
            mistakes,
            json,
        } => return analyze::eval(&dir, pool, mistakes, json),
        _ => {}
    }
    let mut ctx = Context::open(db)?;
    match command {
        Command::Feeds(command) => feeds::run(&mut ctx, command),
        Command::Fetch {
            feed,
            json,
            max_size_mib,
        } => fetch::fetch(&mut ctx, feed.as_deref(), json, max_size_mib),
        Command::Demo => fetch::demo(&mut ctx),
        Command::Articles(args) => read::articles(&ctx, &args),
        Command::Show { id, json } => read::show(&ctx, id, json),
        Command::Search { query, limit, json } => read::search(&ctx, &query, limit, json),
        Command::Reanalyze { all } => analyze::reanalyze(&mut ctx, all),
        Command::Claim { id, action, tag } => analyze::claim(&mut ctx, id, action, &tag),
        Command::Topics { json } => analyze::topics(&ctx, json),
        Command::Tag { id, tag } => user::tag(&mut ctx, id, &tag),
        Command::Untag { id, tag } => user::untag(&mut ctx, id, &tag),
        Command::TagAll { name, filter } => user::tag_all(&mut ctx, &name, &filter),
        Command::Tags { action, json } => user::tags(&mut ctx, action, json),
        Command::Note { id, text, file } => user::note(&mut ctx, id, text, file),
        Command::Notes { json } => user::notes(&ctx, json),
        Command::Highlight { id, quote, note } => user::highlight(&mut ctx, id, &quote, &note),
        Command::Highlights { json } => user::highlights(&ctx, json),
        Command::Export {
            format,
            out,
            filter,
        } => export::export(&ctx, format, out.as_deref(), &filter),
        Command::Import { file } => export::import(&mut ctx, &file),
        Command::Backup { path } => export::backup(&ctx, &path),
        Command::Restore { path } => export::restore(&mut ctx, &path),
        Command::Analyze { .. } | Command::Eval { .. } => Ok(()),
    }
}
