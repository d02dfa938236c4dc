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
        /// Largest response accepted, in MiB after decompression.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1024))]
        max_size_mib: u32,
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
    /// Find and tag the claims in feed files or URLs, without touching the database.
    Analyze {
        /// Feed files (RSS, Atom, JSON Feed) or http(s) URLs.
        #[arg(required = true, value_name = "FILE_OR_URL")]
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
        format: AnalyzeFormat,
        /// Score from which a sentence is a claim (default from assets/analysis/scoring.toml).
        #[arg(long)]
        threshold: Option<f64>,
    },
    /// Re-run analysis on stored articles whose analysis is out of date (after the lexicons
    /// changed). The user's tag decisions are kept.
    Reanalyze {
        /// Every article, not only out-of-date ones.
        #[arg(long)]
        all: bool,
    },
    /// Measure claim detection and tagging on the labelled set.
    Eval {
        /// Folder of labelled articles (JSON); each sub-folder is a split. Repeatable.
        #[arg(long, default_value = "tests/fixtures/eval")]
        dir: Vec<PathBuf>,
        /// Also report all the splits together as one set.
        #[arg(long)]
        pool: bool,
        /// Print every sentence the analyser got wrong.
        #[arg(long)]
        mistakes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Confirm, reject or add a theme or country on a claim (ids from `veille show`).
    Claim {
        id: i64,
        #[arg(value_enum)]
        action: ClaimAction,
        /// A theme id (e.g. export-controls) or a country code (e.g. CN, EU).
        tag: String,
    },
    /// Article counts per theme and per country.
    Topics {
        #[arg(long)]
        json: bool,
    },
    /// Tag an article.
    Tag { id: i64, tag: String },
    /// Remove a tag from an article.
    Untag { id: i64, tag: String },
    /// Tag every article matching the filters.
    TagAll {
        #[arg(value_name = "TAG")]
        name: String,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// List your tags with their article counts, or rename, colour or delete one.
    Tags {
        #[command(subcommand)]
        action: Option<TagsAction>,
        #[arg(long)]
        json: bool,
    },
    /// Write an article's note (Markdown): as an argument, from a file, or in $EDITOR.
    Note {
        id: i64,
        text: Option<String>,
        #[arg(long, conflicts_with = "text")]
        file: Option<PathBuf>,
    },
    /// List your notes.
    Notes {
        #[arg(long)]
        json: bool,
    },
    /// Highlight a passage of an article's text, with an optional note.
    Highlight {
        id: i64,
        quote: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// List your highlights.
    Highlights {
        #[arg(long)]
        json: bool,
    },
    /// Export the articles matching the filters (Markdown folder, CSV of claims, JSON,
    /// OPML of subscriptions, or a briefing digest).
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// File (or, for markdown, folder) to write; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Restore articles, tags, notes, highlights and decisions from a JSON export.
    Import { file: PathBuf },
    /// Copy the database to PATH (safe while the app runs).
    Backup { path: PathBuf },
    /// Replace the database with a backup, after checking it; the current one is kept.
    Restore { path: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnalyzeFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimAction {
    Confirm,
    Reject,
    Add,
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

/// The filters shared by `articles`, `export` and `tag-all`.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only this language (ISO 639-1, e.g. fr).
    #[arg(long)]
    pub lang: Option<String>,
    /// Only this feed (id).
    #[arg(long)]
    pub feed: Option<i64>,
    /// Only this folder.
    #[arg(long)]
    pub folder: Option<String>,
    /// Only articles with a claim on this theme (e.g. export-controls).
    #[arg(long)]
    pub theme: Option<String>,
    /// Only articles with a claim about this country (ISO code, e.g. CN, or EU).
    #[arg(long)]
    pub country: Option<String>,
    /// Only articles with this tag of yours.
    #[arg(long)]
    pub tag: Option<String>,
    /// Published on or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// Published before this date (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub until: Option<String>,
    #[arg(long)]
    pub unread: bool,
    #[arg(long)]
    pub starred: bool,
}

#[derive(Debug, Args)]
pub struct ArticlesArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Csv,
    Json,
    Opml,
    Digest,
}

#[derive(Debug, Subcommand)]
pub enum TagsAction {
    /// Rename a tag; renaming onto an existing tag merges them.
    Rename { from: String, to: String },
    /// Set a tag's colour (#rrggbb), or clear it with "none".
    Color { tag: String, color: String },
    /// Remove a tag from every article.
    Delete { tag: String },
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_grammar_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
