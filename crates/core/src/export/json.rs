//! The JSON export: the whole selection with a schema version, enough to rebuild it in
//! another database (`import_json`). It holds no database ids, so export → import →
//! export gives the same document.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ExportedArticle;
use crate::feed::Item;
use crate::refresh::Ingest;
use crate::store::{Highlight, NewFeed, Store};
use crate::{Error, Result};

/// Bumped when the document's shape changes incompatibly.
pub const SCHEMA_VERSION: u32 = 1;
const SCHEMA: &str = "veille-export";

#[derive(Debug, Serialize, Deserialize)]
pub struct ExportDocument {
    pub schema: String,
    pub schema_version: u32,
    pub articles: Vec<ExportedArticle>,
}

/// The selection as a JSON document.
pub fn export_json(articles: Vec<ExportedArticle>) -> Result<String> {
    let document = ExportDocument {
        schema: SCHEMA.to_owned(),
        schema_version: SCHEMA_VERSION,
        articles,
    };
    serde_json::to_string_pretty(&document).map_err(|e| Error::Invalid(format!("JSON: {e}")))
}

/// What an import restored.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub articles: usize,
    pub new_articles: usize,
    pub tags: usize,
    pub notes: usize,
    pub highlights: usize,
    pub decisions: usize,
}

/// Restores a JSON export into `store`: feeds are matched by URL (created when missing),
/// articles by their identity; the user's state, tags, notes, highlights and decisions are
/// restored, and articles are analysed as `ingest` says.
pub fn import_json(store: &mut Store, text: &str, ingest: &Ingest) -> Result<ImportReport> {
    let document: ExportDocument = serde_json::from_str(text)
        .map_err(|e| Error::Invalid(format!("not a Veille JSON export: {e}")))?;
    if document.schema != SCHEMA {
        return Err(Error::Invalid(format!(
            "not a Veille JSON export (schema {:?})",
            document.schema
        )));
    }
    if document.schema_version > SCHEMA_VERSION {
        return Err(Error::Invalid(format!(
            "this export has schema version {}; this Veille reads up to {SCHEMA_VERSION}",
            document.schema_version
        )));
    }
    let mut report = ImportReport::default();
    let mut by_feed: BTreeMap<String, Vec<&ExportedArticle>> = BTreeMap::new();
    for article in &document.articles {
        let url = article
            .feed_url
            .clone()
            .unwrap_or_else(|| format!("imported:{}", article.source));
        by_feed.entry(url).or_default().push(article);
    }
    for (url, articles) in by_feed {
        let (feed_id, _) = store.add_feed(&NewFeed {
            url,
            title: articles.first().map(|a| a.source.clone()),
            ..NewFeed::default()
        })?;
        let items: Vec<Item> = articles.iter().map(|a| item(a)).collect();
        let prepared = ingest.prepare(store.path(), feed_id, &items);
        report.new_articles += store
            .import_items(feed_id, &items, ingest.hook(prepared))?
            .new;
        for article in articles {
            let id = store
                .find_article(feed_id, &article.key)?
                .ok_or_else(|| Error::Invalid(format!("article {} was not stored", article.key)))?;
            restore_user_data(store, id, article, &mut report)?;
            report.articles += 1;
        }
    }
    Ok(report)
}

fn item(a: &ExportedArticle) -> Item {
    Item {
        key: a.key.clone(),
        guid: a.guid.clone(),
        url: a.url.clone(),
        title: a.title.clone(),
        author: a.author.clone(),
        published: Some(a.published),
        updated: None,
        content_html: a.content_html.clone(),
        text: a.text.clone(),
        lang: a.lang.clone(),
        content_hash: crate::feed::content_hash(&a.title, a.url.as_deref(), &a.content_html),
    }
}

fn restore_user_data(
    store: &mut Store,
    id: i64,
    a: &ExportedArticle,
    report: &mut ImportReport,
) -> Result<()> {
    store.set_read(id, a.read)?;
    store.set_starred(id, a.starred)?;
    for tag in &a.tags {
        store.tag_article(id, tag)?;
        report.tags += 1;
    }
    if let Some(note) = a.note.as_deref().filter(|n| !n.trim().is_empty()) {
        store.save_note(id, note)?;
        report.notes += 1;
    }
    for h in &a.highlights {
        store.import_highlight(
            id,
            &Highlight {
                id: 0,
                article_id: id,
                start: h.start,
                end: h.end,
                quote: h.quote.clone(),
                note: h.note.clone(),
                detached: h.detached,
            },
        )?;
        report.highlights += 1;
    }
    store.import_decisions(id, &a.decisions)?;
    report.decisions += a.decisions.len();
    Ok(())
}
