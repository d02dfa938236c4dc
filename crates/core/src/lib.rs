//! Veille's core library: everything the CLI, the desktop app and the tests share.
//!
//! The data flows `fetch` (bytes) → `charset` (UTF-8 text) → `feed` (normalised articles,
//! sanitised by `sanitize`, language from `lang`) → `store` (SQLite). `refresh` drives that
//! flow for every subscribed feed; `opml` and `samples` bring subscriptions in.
//! Nothing here depends on a GUI toolkit.

pub mod analysis;
pub mod assets;
pub mod charset;
pub mod discover;
pub mod error;
pub mod export;
pub mod feed;
pub mod fetch;
pub mod files;
mod html;
pub mod lang;
pub mod opml;
pub mod refresh;
pub mod samples;
pub mod sanitize;
pub mod script;
pub mod store;
pub mod time;

pub use error::{Error, Result};
/// URLs as the core takes them (re-exported so callers need no extra dependency).
pub use url::Url;
