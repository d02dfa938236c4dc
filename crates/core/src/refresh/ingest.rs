//! What ingesting does with each new or changed article besides storing it: the analysis.
//! Analysing is the costly part of ingesting, so it runs on the parse workers, in
//! parallel, and the single database writer only writes what they prepared.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rusqlite::Transaction;

use crate::analysis::Analyzer;
use crate::feed::Item;
use crate::store::{AnalysisRows, WrittenArticle};
use crate::Result;

/// Feeds with at least this many items to analyse are split across every core.
const PARALLEL_FROM: usize = 256;

/// Analyses computed ahead of the write, in the form the store writes, by article key,
/// with the content hash of the item they were computed from (the writer uses one only
/// for that very content).
pub type Prepared = HashMap<String, (String, AnalysisRows)>;

/// How articles are ingested: analysed, or stored only (tests that look at storage alone).
#[derive(Clone, Default)]
pub struct Ingest {
    analyzer: Option<Arc<Analyzer>>,
}

impl Ingest {
    pub fn analyzing(analyzer: Arc<Analyzer>) -> Ingest {
        Ingest {
            analyzer: Some(analyzer),
        }
    }

    pub fn store_only() -> Ingest {
        Ingest::default()
    }

    /// Analyses the items of feed `feed_id` that the database at `db` does not already hold
    /// unchanged (the first item of each key, as the writer keeps). When the database
    /// cannot be read every item is analysed: the writer still decides what is new.
    pub fn prepare(&self, db: &Path, feed_id: i64, items: &[Item]) -> Prepared {
        let Some(analyzer) = &self.analyzer else {
            return Prepared::new();
        };
        let keys: Vec<&str> = items.iter().map(|item| item.key.as_str()).collect();
        let known = crate::store::content_hashes(db, feed_id, &keys).unwrap_or_default();
        let mut seen = HashSet::new();
        let todo: Vec<&Item> = items
            .iter()
            .filter(|item| seen.insert(item.key.as_str()))
            .filter(|item| known.get(&item.key) != Some(&item.content_hash))
            .collect();
        analyze_all(analyzer, &todo)
    }

    /// The hook the store calls for every new or changed article inside the feed's
    /// transaction: it writes the prepared analysis, or analyses on the spot an article
    /// the workers could not foresee (another process changed it in between).
    pub fn hook(
        &self,
        mut prepared: Prepared,
    ) -> impl FnMut(&Transaction<'_>, WrittenArticle, &Item) -> Result<()> + '_ {
        move |tx, article, item| {
            let Some(analyzer) = &self.analyzer else {
                return Ok(());
            };
            let rows = match prepared.remove(&item.key) {
                Some((hash, rows)) if hash == item.content_hash => rows,
                _ => analyze(analyzer, item),
            };
            crate::store::write_analysis(tx, article, &rows, analyzer.fingerprint())
        }
    }
}

fn analyze(analyzer: &Analyzer, item: &Item) -> AnalysisRows {
    AnalysisRows::new(analyzer.analyze(&item.text, item.lang.as_deref().unwrap_or("en")))
}

/// A big feed (a first fetch of a long archive) is analysed on every core.
fn analyze_all(analyzer: &Analyzer, items: &[&Item]) -> Prepared {
    let one_by_one = |part: &[&Item]| -> Vec<(String, (String, AnalysisRows))> {
        part.iter()
            .map(|item| {
                let rows = analyze(analyzer, item);
                (item.key.clone(), (item.content_hash.clone(), rows))
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if items.len() < PARALLEL_FROM || threads == 1 {
        return one_by_one(items).into_iter().collect();
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || one_by_one(part)))
            .collect();
        // A part whose thread failed is left to the writer, which analyses it again.
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_default())
            .collect()
    })
}
