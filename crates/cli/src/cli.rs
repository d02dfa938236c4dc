//! The command-line grammar. Bad arguments exit with status 2 and a usage line (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "veille",
    version,
    about = "Technology watch on AI and chips: feeds, claims, tags and notes"
)]
pub struct Cli {
    /// The database file (default: veille.db in the platform data directory).
    #[arg(long, global = true, env = "VEILLE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage subscriptions.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Fetch every subscription that is due and store new articles.
    Fetch {
        /// Only this feed (id or URL).
        #[arg(long)]
        feed: Option<String>,
        /// Print the per-feed reports as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List articles, newest first.
    Articles(ArticlesArgs),
    /// Show one article.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search in every language.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Import the bundled sample articles (offline) into the "Samples" folder.
    Demo,
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed, or to the feed a web page advertises.
    Add {
        url: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        folder: Option<String>,
    },
    /// List subscriptions with their last fetch result.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a subscription (by id or URL) or a whole folder.
    Remove {
        #[arg(required_unless_present = "folder", conflicts_with = "folder")]
        feed: Option<String>,
        #[arg(long)]
        folder: Option<String>,
    },
    /// Subscribe to every feed of an OPML file.
    Import { file: PathBuf },
    /// Write the subscriptions as OPML (to standard output, or a file).
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ArticlesArgs {
    /// Only this language (ISO 639-1, e.g. fr).
    #[arg(long)]
    pub lang: Option<String>,
    /// Only this feed (id).
    #[arg(long)]
    pub feed: Option<i64>,
    /// Only this folder.
    #[arg(long)]
    pub folder: Option<String>,
    #[arg(long)]
    pub unread: bool,
    #[arg(long)]
    pub starred: bool,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}
