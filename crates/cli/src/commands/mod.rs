//! Command dispatch: open the database, run the command, print the result.

mod feeds;
mod fetch;
mod read;

use anyhow::Result;
use veille_core::assets::Assets;
use veille_core::fetch::{FetchConfig, Fetcher};
use veille_core::store::Store;

use crate::cli::{Cli, Command};

/// What every command may need, opened once.
pub struct Context {
    pub store: Store,
    pub assets: Assets,
}

impl Context {
    fn open(cli: &Cli) -> Result<Context> {
        let path = match &cli.db {
            Some(path) => path.clone(),
            None => Store::default_path()?,
        };
        Ok(Context {
            store: Store::open(&path)?,
            assets: Assets::from_env(),
        })
    }

    pub fn fetcher(&self) -> Result<Fetcher> {
        Ok(Fetcher::new(FetchConfig::default(), self.assets.clone())?)
    }
}

/// Async work (fetching) runs on a runtime made for the command.
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(future))
}

pub fn run(cli: Cli) -> Result<()> {
    let mut ctx = Context::open(&cli)?;
    match cli.command {
        Command::Feeds(command) => feeds::run(&mut ctx, command),
        Command::Fetch { feed, json } => fetch::fetch(&mut ctx, feed.as_deref(), json),
        Command::Demo => fetch::demo(&mut ctx),
        Command::Articles(args) => read::articles(&ctx, &args),
        Command::Show { id, json } => read::show(&ctx, id, json),
        Command::Search { query, limit, json } => read::search(&ctx, &query, limit, json),
    }
}
