//! Feed HTML is hostile. This module turns it into HTML that is safe to show (an allow-list
//! sanitiser, ammonia) and into plain text for analysis and search.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;

use url::Url;

use crate::html::{self, Piece};

/// URL schemes that may survive in links and images. No `javascript:`, `vbscript:`, `data:`.
const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Tags whose content is dropped along with the tag itself.
const DROP_WITH_CONTENT: [&str; 9] = [
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
];

thread_local! {
    /// The sanitiser, built once per thread (building one allocates its tag and attribute
    /// tables, a large share of sanitising a short item).
    static SANITIZER: ammonia::Builder<'static> = sanitizer();
    /// The address relative links of the document being cleaned resolve against.
    static BASE: RefCell<Option<Url>> = const { RefCell::new(None) };
}

/// Sanitises feed HTML with an allow-list: only formatting tags and safe attributes remain,
/// links become absolute (resolved against `base`; relative links are dropped without
/// one), open no referrer and lose tracking parameters. Anything the sanitiser does not
/// know is removed, never passed through.
pub fn sanitize_html(html: &str, base: Option<&Url>) -> String {
    // The base comes from the feed too (xml:base, its links): only a web address may serve.
    let base = base.filter(|b| matches!(b.scheme(), "http" | "https"));
    BASE.with(|current| *current.borrow_mut() = base.cloned());
    SANITIZER.with(|builder| builder.clean(html).to_string())
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(URL_SCHEMES))
        .clean_content_tags(HashSet::from(DROP_WITH_CONTENT))
        .link_rel(Some("noopener noreferrer nofollow"))
        .set_tag_attribute_value("a", "referrerpolicy", "no-referrer")
        .set_tag_attribute_value("img", "referrerpolicy", "no-referrer")
        .attribute_filter(|_element, attribute, value| {
            // Tracking parameters in links identify the reader to the publisher.
            if attribute == "href" {
                return Some(strip_tracking(value).into());
            }
            Some(value.into())
        })
        .url_relative(ammonia::UrlRelative::Custom(Box::new(resolve_relative)));
    builder
}

/// Resolves a relative link against the current document's base, or drops it. ammonia
/// checks schemes before resolving, so the result is checked again here, and loses its
/// tracking parameters like absolute links do.
fn resolve_relative(link: &str) -> Option<Cow<'_, str>> {
    BASE.with(|base| {
        let base = base.borrow();
        let absolute = base.as_ref()?.join(link).ok()?;
        URL_SCHEMES
            .contains(&absolute.scheme())
            .then(|| Cow::Owned(strip_tracking(absolute.as_str())))
    })
}

/// Removes the query parameters that only track readers (`utm_*`, `fbclid`, `gclid`, …).
pub fn strip_tracking(link: &str) -> String {
    let Ok(mut url) = Url::parse(link) else {
        return link.to_owned();
    };
    if url.query().is_none() {
        return link.to_owned();
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.into()
}

fn is_tracking_param(name: &str) -> bool {
    name.starts_with("utm_")
        || matches!(
            name,
            "fbclid" | "gclid" | "mc_cid" | "mc_eid" | "igshid" | "yclid"
        )
}

/// Block-level tags: their boundaries become paragraph breaks in the plain text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "figure"
            | "figcaption"
            | "hr"
            | "main"
            | "nav"
            | "address"
    )
}

/// Plain text of an HTML fragment: entities decoded, whitespace collapsed, one blank line
/// between blocks. Script and style content never appears.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut skip_depth = 0usize;
    let mut pending_break = false;
    html::visit(html, |piece| match piece {
        Piece::Start(tag) if DROP_WITH_CONTENT.contains(&&*tag.name) && !tag.self_closing => {
            skip_depth += 1
        }
        Piece::End(tag) if DROP_WITH_CONTENT.contains(&&*tag.name) => {
            skip_depth = skip_depth.saturating_sub(1)
        }
        Piece::Start(tag) | Piece::End(tag) if is_block(&tag.name) => pending_break = true,
        Piece::Text(text) if skip_depth == 0 => push_collapsed(&mut out, text, &mut pending_break),
        _ => {}
    });
    out.truncate(out.trim_end().len());
    out
}

fn push_collapsed(out: &mut String, text: &str, pending_break: &mut bool) {
    // Words between single whitespace characters; each whitespace becomes at most one space.
    for (index, word) in text.split(char::is_whitespace).enumerate() {
        if index > 0 && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        if word.is_empty() {
            continue;
        }
        if *pending_break && !out.is_empty() {
            out.truncate(out.trim_end().len());
            out.push_str("\n\n");
        }
        *pending_break = false;
        out.push_str(word);
    }
}

/// Text fields that feeds declare as plain (titles, authors) may still carry markup or
/// entities in the wild; this returns them as plain text on one line.
pub fn plain_line(text: &str) -> String {
    let text = if text.contains(['<', '&']) {
        html_to_text(text)
    } else {
        text.to_owned()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_paragraphs_and_drops_scripts() {
        let text = html_to_text(
            "<p>One &amp; <b>two</b></p><script>alert(1)</script><p>Three\n  four</p>",
        );
        assert_eq!(text, "One & two\n\nThree four");
    }

    #[test]
    fn relative_links_are_resolved_and_javascript_removed() {
        let base = Url::parse("https://example.org/news/").ok();
        let out = sanitize_html(
            r#"<a href="a.html">x</a><a href="javascript:alert(1)">y</a>"#,
            base.as_ref(),
        );
        assert!(
            out.contains(r#"href="https://example.org/news/a.html""#),
            "{out}"
        );
        assert!(!out.contains("javascript"), "{out}");
    }
}
