//! Parses a feed document (RSS 0.9x/1.0/2.0, Atom, JSON Feed, through feed-rs) and
//! normalises it into the articles Veille stores: sanitised HTML, plain text, a stable
//! identity, plausible dates and a language.

mod identity;

use feed_rs::model::{Entry, Feed, Text};
use url::Url;

use crate::{lang, sanitize, time};

pub use identity::{content_hash, item_key};

/// A feed as Veille sees it after parsing.
#[derive(Debug, Clone)]
pub struct ParsedFeed {
    pub title: String,
    pub site_url: Option<String>,
    pub language: Option<String>,
    pub items: Vec<Item>,
}

/// One article, normalised and sanitised, ready to store.
#[derive(Debug, Clone)]
pub struct Item {
    /// Identity within the feed: the guid, else the canonical link, else a content hash.
    pub key: String,
    /// The guid as the feed gave it, or the key when it gave none.
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// Unix seconds; `None` when the feed gave no plausible date (first-seen time is used).
    pub published: Option<i64>,
    pub updated: Option<i64>,
    /// Sanitised HTML, safe to display.
    pub content_html: String,
    /// Plain text of the title-less body, for analysis and search.
    pub text: String,
    pub lang: Option<String>,
    /// Hash of what the feed sent, to tell a changed article from an unchanged one.
    pub content_hash: String,
}

/// Why a document could not be read as a feed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// Parses a UTF-8 feed document fetched from `source_url`. `now` (Unix seconds) bounds
/// plausible dates.
pub fn parse(document: &str, source_url: &str, now: i64) -> Result<ParsedFeed, ParseError> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Url::parse(source_url).ok().map(|_| source_url))
        .sanitize_content(false)
        // An empty id tells us the feed gave none, so identity can fall back properly.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser
        .parse(document.as_bytes())
        .map_err(|e| ParseError(describe(&e)))?;
    Ok(normalise(feed, source_url, now))
}

fn describe(error: &feed_rs::parser::ParseFeedError) -> String {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => {
            "the document is not an RSS, Atom or JSON feed".to_owned()
        }
        other => format!("the feed could not be parsed: {other}"),
    }
}

fn normalise(feed: Feed, source_url: &str, now: i64) -> ParsedFeed {
    let site_url = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone());
    let language = feed.language.as_deref().and_then(lang::normalise_tag);
    let fallback_base = site_url.as_deref().unwrap_or(source_url);
    let items = feed
        .entries
        .into_iter()
        .map(|entry| normalise_item(entry, fallback_base, language.as_deref(), now))
        .collect();
    ParsedFeed {
        title: feed.title.map(|t| text_line(&t)).unwrap_or_default(),
        site_url,
        language,
        items,
    }
}

fn normalise_item(entry: Entry, fallback_base: &str, feed_lang: Option<&str>, now: i64) -> Item {
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| sanitize::strip_tracking(&l.href))
        .filter(|href| is_web_link(href));
    let raw_body = body_html(&entry);
    let base = entry
        .base
        .as_deref()
        .or(url.as_deref())
        .or(Some(fallback_base))
        .and_then(|b| Url::parse(b).ok());
    let content_html = sanitize::sanitize_html(&raw_body, base.as_ref());
    let text = sanitize::html_to_text(&content_html);
    let mut title = entry.title.as_ref().map(text_line).unwrap_or_default();
    if title.is_empty() {
        title = untitled(&text);
    }
    let published = entry
        .published
        .or(entry.updated)
        .and_then(|d| time::plausible(d, now));
    let updated = entry.updated.and_then(|d| time::plausible(d, now));
    let hint = entry.language.as_deref().or(feed_lang);
    let lang = lang::detect(&format!("{title}\n{text}"), hint);
    let content_hash = identity::content_hash(&title, url.as_deref(), &raw_body);
    let key = item_key(&entry.id, url.as_deref(), &title, published, &content_hash);
    let guid = if entry.id.is_empty() {
        key.clone()
    } else {
        entry.id.clone()
    };
    let author = authors(&entry);
    Item {
        key,
        guid,
        url,
        title,
        author,
        published,
        updated,
        content_html,
        text,
        lang,
        content_hash,
    }
}

fn authors(entry: &Entry) -> Option<String> {
    let names: Vec<String> = entry
        .authors
        .iter()
        .filter_map(|a| a.name.as_deref())
        .map(sanitize::plain_line)
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Only http(s) links are offered to the user as "open original".
fn is_web_link(href: &str) -> bool {
    Url::parse(href).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// The fuller of the item's content and summary, as HTML.
fn body_html(entry: &Entry) -> String {
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(if c.content_type.subty() == "plain" {
            escape_plain(body)
        } else {
            body.to_owned()
        })
    });
    let summary = entry.summary.as_ref().map(text_html);
    match (content, summary) {
        (Some(c), Some(s)) => {
            if s.len() > c.len() {
                s
            } else {
                c
            }
        }
        (Some(c), None) => c,
        (None, Some(s)) => s,
        (None, None) => String::new(),
    }
}

/// A feed-rs text construct as HTML (plain text is escaped, paragraph breaks kept).
fn text_html(text: &Text) -> String {
    if text.content_type.subty() == "plain" {
        escape_plain(&text.content)
    } else {
        text.content.clone()
    }
}

/// A feed-rs text construct as one line of plain text.
fn text_line(text: &Text) -> String {
    if text.content_type.subty() == "plain" {
        text.content
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        sanitize::plain_line(&text.content)
    }
}

fn escape_plain(text: &str) -> String {
    text.split("\n\n")
        .map(|para| format!("<p>{}</p>", escape(para.trim())))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A title for an item that has none: the start of its text.
fn untitled(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    let mut title: String = first_line.chars().take(80).collect();
    if title.is_empty() {
        return "(untitled)".to_owned();
    }
    if first_line.chars().count() > 80 {
        title.push('…');
    }
    title
}
