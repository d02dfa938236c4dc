//! Taking work elsewhere: a selection of articles (the same filters as the list) exported
//! as Markdown files for Obsidian, a briefing digest, a CSV of claims, or JSON that
//! `import` restores into another database. OPML of subscriptions lives in `opml`.

mod claims_csv;
mod digest;
pub mod filename;
mod json;
mod markdown;

use serde::{Deserialize, Serialize};

use crate::store::{ArticleFilter, DecisionRecord, Highlight, Store};
use crate::Result;

pub use claims_csv::claims_csv;
pub use digest::digest;
pub use json::{export_json, import_json, ImportReport, SCHEMA_VERSION};
pub use markdown::{article_markdown, write_markdown_folder};

/// One article with everything the user and the analysis attached to it, free of
/// database ids so it means the same in any database.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExportedArticle {
    pub feed_url: Option<String>,
    pub source: String,
    /// Identity within the feed (guid, canonical link or hash), kept for re-import.
    pub key: String,
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    #[serde(with = "crate::time::rfc3339_serde")]
    pub published: i64,
    pub lang: Option<String>,
    pub read: bool,
    pub starred: bool,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub highlights: Vec<ExportedHighlight>,
    pub decisions: Vec<DecisionRecord>,
    pub themes: Vec<String>,
    pub countries: Vec<String>,
    pub claims: Vec<ExportedClaim>,
    pub content_html: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExportedHighlight {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub note: String,
    pub detached: bool,
}

impl From<Highlight> for ExportedHighlight {
    fn from(h: Highlight) -> Self {
        ExportedHighlight {
            start: h.start,
            end: h.end,
            quote: h.quote,
            note: h.note,
            detached: h.detached,
        }
    }
}

/// A claim with the tags that stand after the user's decisions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExportedClaim {
    pub text: String,
    pub score: f64,
    pub themes: Vec<String>,
    pub countries: Vec<String>,
    /// The user's verdicts on this claim's tags, e.g. "rejected CN".
    pub verdicts: Vec<String>,
}

/// The articles matching `filter`, newest first, in an order that does not depend on the
/// database (published date, then feed, then identity).
pub fn select(store: &Store, filter: &ArticleFilter) -> Result<Vec<ExportedArticle>> {
    let list = store.articles(&ArticleFilter {
        limit: None,
        offset: 0,
        ..filter.clone()
    })?;
    let mut out = Vec::with_capacity(list.len());
    for summary in list {
        out.push(exported(store, summary.id)?);
    }
    out.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.feed_url.cmp(&b.feed_url))
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(out)
}

fn exported(store: &Store, id: i64) -> Result<ExportedArticle> {
    use crate::analysis::TagKind;
    let article = store.article(id)?;
    let s = &article.summary;
    let feed_url = match s.feed_id {
        Some(feed) => Some(store.feed(feed)?.url),
        None => None,
    };
    let claims = store
        .claims(id)?
        .into_iter()
        .map(|c| ExportedClaim {
            themes: c
                .ids(TagKind::Theme)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            countries: c
                .ids(TagKind::Country)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            verdicts: c
                .tags
                .iter()
                .filter_map(|t| t.verdict.map(|v| format!("{} {}", v.as_str(), t.id)))
                .collect(),
            score: c.score,
            text: c.text,
        })
        .collect();
    let topics = store.article_topics(id)?;
    let pick = |kind: TagKind| {
        topics
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.id.clone())
            .collect()
    };
    Ok(ExportedArticle {
        feed_url,
        source: s.source.clone(),
        key: store.article_key(id)?,
        guid: s.guid.clone(),
        url: s.url.clone(),
        title: s.title.clone(),
        author: article.author.clone(),
        published: s.published,
        lang: s.lang.clone(),
        read: s.read,
        starred: s.starred,
        tags: store.article_tags(id)?,
        note: store.note(id)?.map(|n| n.body),
        highlights: store
            .highlights(id)?
            .into_iter()
            .map(ExportedHighlight::from)
            .collect(),
        decisions: store.decisions(id)?,
        themes: pick(TagKind::Theme),
        countries: pick(TagKind::Country),
        claims,
        content_html: article.content_html.clone(),
        text: article.text.clone(),
    })
}
