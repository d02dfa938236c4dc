//! Fetching feed documents: HTTP(S) with bounded concurrency, timeouts, a size cap after
//! decompression, manual redirects (so permanent moves can be recorded and loops caught),
//! conditional GET and Retry-After. `file:` paths and the bundled `sample:` feeds go
//! through the same door so the rest of Veille does not care where bytes come from.

mod error;
mod http;
mod limits;

use std::time::Duration;

pub use error::{ErrorKind, FetchError};

use crate::assets::Assets;

/// What a fetch may use and how long it may take.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Cap on a response body after decompression.
    pub max_bytes: usize,
    pub connect_timeout: Duration,
    /// Budget for one whole fetch, redirects and body included.
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Fetches in flight at once, over all hosts.
    pub max_in_flight: usize,
    /// Fetches in flight at once to one host.
    pub max_per_host: usize,
    pub user_agent: String,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            max_bytes: 10 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            max_in_flight: 16,
            max_per_host: 2,
            user_agent: format!(
                "Veille/{} (technology-watch feed reader; +https://github.com/veille-app/veille)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// The cache validators of a feed, sent back for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A document that was fetched.
#[derive(Debug, Clone)]
pub struct Document {
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub validators: Validators,
    /// The URL the document finally came from, after redirects.
    pub final_url: String,
}

/// The result of asking for a feed.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// New content. `moved_to` is set when every redirect on the way was permanent.
    Fetched {
        document: Document,
        moved_to: Option<String>,
    },
    /// The server says nothing changed since the validators were stored (304).
    NotModified { moved_to: Option<String> },
    /// 410: the feed is gone for good.
    Gone,
    /// 429 or 503: come back at `until` (Unix seconds).
    RetryLater { until: i64, status: u16 },
}

/// Fetches documents by URL; cheap to clone, and clones share one connection pool and one
/// set of concurrency limits.
#[derive(Clone)]
pub struct Fetcher {
    http: std::sync::Arc<http::HttpClient>,
    assets: Assets,
}

impl Fetcher {
    pub fn new(config: FetchConfig, assets: Assets) -> Result<Self, FetchError> {
        Ok(Fetcher {
            http: std::sync::Arc::new(http::HttpClient::new(config)?),
            assets,
        })
    }

    pub fn config(&self) -> &FetchConfig {
        self.http.config()
    }

    /// Fetches `url`, sending `validators` for a conditional GET.
    pub async fn fetch(&self, url: &str, validators: &Validators) -> Result<Outcome, FetchError> {
        if let Some(name) = url.strip_prefix(SAMPLE_SCHEME) {
            return self.read_sample(name);
        }
        let parsed = url::Url::parse(url)
            .map_err(|e| FetchError::new(ErrorKind::Invalid, format!("not a valid URL: {e}")))?;
        match parsed.scheme() {
            "http" | "https" => self.http.fetch(parsed, validators).await,
            "file" => read_file(&parsed),
            other => Err(FetchError::new(
                ErrorKind::Invalid,
                format!("unsupported URL scheme {other}:"),
            )),
        }
    }

    fn read_sample(&self, name: &str) -> Result<Outcome, FetchError> {
        let body = self
            .assets
            .read(&format!("samples/{name}"))
            .map_err(|e| FetchError::new(ErrorKind::File, e.to_string()))?;
        Ok(fetched(body.into_owned(), format!("{SAMPLE_SCHEME}{name}")))
    }
}

/// The `file:` URL of a local path (the path itself when it cannot be one).
pub fn file_url(path: &std::path::Path) -> String {
    url::Url::from_file_path(path).map_or_else(|_| path.display().to_string(), String::from)
}

/// Bundled sample feeds are subscribed to as `sample:<file name>`.
pub const SAMPLE_SCHEME: &str = "sample:";

fn read_file(url: &url::Url) -> Result<Outcome, FetchError> {
    let path = url
        .to_file_path()
        .map_err(|_| FetchError::new(ErrorKind::Invalid, format!("not a local file: {url}")))?;
    let body = std::fs::read(&path)
        .map_err(|e| FetchError::new(ErrorKind::File, format!("{}: {e}", path.display())))?;
    Ok(fetched(body, url.to_string()))
}

fn fetched(body: Vec<u8>, final_url: String) -> Outcome {
    Outcome::Fetched {
        document: Document {
            body,
            content_type: None,
            validators: Validators::default(),
            final_url,
        },
        moved_to: None,
    }
}
