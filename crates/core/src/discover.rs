//! Feed autodiscovery: a web page names its feeds with `<link rel="alternate" type=…>`.

use url::Url;

use crate::html::{self, Piece};

const FEED_TYPES: [&str; 5] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
];

/// The feed addresses an HTML page advertises, absolute, in page order.
pub fn feed_links(page: &str, page_url: &Url) -> Vec<Url> {
    let mut base = page_url.clone();
    let mut found = Vec::new();
    html::visit(page, |piece| {
        let Piece::Start(tag) = piece else { return };
        match &*tag.name {
            "base" => {
                if let Some(href) = html::attr(tag, "href").and_then(|h| page_url.join(h).ok()) {
                    base = href;
                }
            }
            "link" => {
                let rel = html::attr(tag, "rel")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let kind = html::attr(tag, "type")
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase();
                if !rel.split_whitespace().any(|r| r == "alternate")
                    || !FEED_TYPES.contains(&kind.as_str())
                {
                    return;
                }
                if let Some(url) = html::attr(tag, "href").and_then(|h| base.join(h.trim()).ok()) {
                    if matches!(url.scheme(), "http" | "https") && !found.contains(&url) {
                        found.push(url);
                    }
                }
            }
            _ => {}
        }
    });
    found
}

/// Whether a document looks like an HTML page rather than a feed.
pub fn looks_like_html(content_type: Option<&str>, text: &str) -> bool {
    if content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(256)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<head")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_alternate_feeds_and_resolves_them() {
        let page = r#"<html><head><script>var s = '<link rel="alternate" type="application/rss+xml" href="/fake">';</script>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/atom+xml" href="/feed.atom">
            <link rel="Alternate" type="application/rss+xml" href="https://other.example/rss"></head></html>"#;
        let base = Url::parse("https://example.org/blog/").unwrap();
        let links: Vec<String> = feed_links(page, &base).iter().map(Url::to_string).collect();
        assert_eq!(
            links,
            ["https://example.org/feed.atom", "https://other.example/rss"]
        );
    }
}
