//! Fetch failures, classified so a person understands what went wrong with a feed.

use serde::Serialize;

/// The class of a failure, shown next to a feed (`veille feeds list`, the app's badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Network,
    Timeout,
    Tls,
    Forbidden,
    BotProtection,
    NotFound,
    RateLimited,
    Server,
    Http,
    TooLarge,
    Redirects,
    Gone,
    NotAFeed,
    Parse,
    File,
    Invalid,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Tls => "tls",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::BotProtection => "bot_protection",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Http => "http",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Redirects => "redirects",
            ErrorKind::Gone => "gone",
            ErrorKind::NotAFeed => "not_a_feed",
            ErrorKind::Parse => "parse",
            ErrorKind::File => "file",
            ErrorKind::Invalid => "invalid",
        }
    }
}

/// A failed fetch: its class and a message for the user.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct FetchError {
    pub kind: ErrorKind,
    pub message: String,
}

impl FetchError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        FetchError {
            kind,
            message: message.into(),
        }
    }
}

impl From<reqwest::Error> for FetchError {
    fn from(error: reqwest::Error) -> Self {
        use std::error::Error as _;
        let mut detail = error.to_string();
        let mut source = error.source();
        while let Some(inner) = source {
            detail = format!("{detail}: {inner}");
            source = inner.source();
        }
        let lower = detail.to_lowercase();
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            ErrorKind::Tls
        } else {
            ErrorKind::Network
        };
        let message = match kind {
            ErrorKind::Timeout => "the server did not answer in time".to_owned(),
            ErrorKind::Tls => format!("secure connection failed: {detail}"),
            _ => format!("could not reach the server: {detail}"),
        };
        FetchError { kind, message }
    }
}
