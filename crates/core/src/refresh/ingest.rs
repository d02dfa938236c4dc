//! What ingesting does with each new or changed article besides storing it: the analysis.
//! Analysing is the costly part of ingesting, so it runs on the parse workers, in
//! parallel, and the single database writer only writes what they prepared.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use rusqlite::Transaction;

use crate::analysis::Analyzer;
use crate::feed::Item;
use crate::store::{AnalysisRows, WrittenArticle};
use crate::Result;

/// Feeds with at least this many items to analyse are analysed on every core, streamed
/// to the writer as they are done.
const PARALLEL_FROM: usize = 256;

/// Items per piece of a streamed analysis: small enough that the writer starts early,
/// large enough that handing pieces over costs nothing.
const PIECE: usize = 64;

/// One analysed article as the writer needs it: its key, the content hash it was computed
/// from (the writer uses it only for that very content) and its rows.
type Analysed = (String, (String, AnalysisRows));

/// Analyses computed ahead of the write, in the form the store writes. A big feed's
/// analyses arrive while the writer writes it: its first articles are stored while the
/// last are still being analysed, so the feed's transaction no longer waits for all of
/// them and then runs alone.
#[derive(Default)]
pub struct Prepared {
    ready: HashMap<String, (String, AnalysisRows)>,
    arriving: Option<mpsc::Receiver<Vec<Analysed>>>,
}

impl Prepared {
    /// The analysis of `key`, waiting for it if it is still being computed; `None` when
    /// there is none (not new, or its analysis thread failed: the writer analyses it).
    fn take(&mut self, key: &str) -> Option<(String, AnalysisRows)> {
        loop {
            if let Some(found) = self.ready.remove(key) {
                return Some(found);
            }
            let piece = self.arriving.as_ref()?.recv();
            match piece {
                Ok(piece) => self.ready.extend(piece),
                Err(_) => self.arriving = None,
            }
        }
    }
}

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
            return Prepared::default();
        };
        let keys: Vec<&str> = items.iter().map(|item| item.key.as_str()).collect();
        let known = crate::store::content_hashes(db, feed_id, &keys).unwrap_or_default();
        let mut seen = HashSet::new();
        let todo: Vec<&Item> = items
            .iter()
            .filter(|item| seen.insert(item.key.as_str()))
            .filter(|item| known.get(&item.key) != Some(&item.content_hash))
            .collect();
        if todo.len() < PARALLEL_FROM {
            let ready = todo.iter().map(|item| analyzed(analyzer, item)).collect();
            return Prepared {
                ready,
                arriving: None,
            };
        }
        stream_analyses(analyzer, &todo)
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
            let rows = match prepared.take(&item.key) {
                Some((hash, rows)) if hash == item.content_hash => rows,
                _ => analyze(analyzer, item),
            };
            crate::store::write_analysis(tx, article, &rows, analyzer.fingerprint())
        }
    }
}

/// Lowers the calling thread's priority (nice 10). Parse and analysis threads outnumber
/// the cores, and the single writer they feed is what a refresh waits for at its end; in
/// the app, a refresh also should not make the window sluggish. The refresh's threads
/// belong to a runtime made for it, so nothing else runs on them later.
pub(super) fn yield_to_the_writer() {
    // On Linux, PRIO_PROCESS with 0 sets the nice value of the calling thread only (on
    // other systems it would lower the whole process, writer included).
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes plain integers and changes no memory.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// The cores this machine offers: parse jobs and a big feed's analysis threads.
pub(super) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn analyze(analyzer: &Analyzer, item: &Item) -> AnalysisRows {
    Job::of(item).analyze(analyzer)
}

fn analyzed(analyzer: &Analyzer, item: &Item) -> Analysed {
    Job::of(item).analyzed(analyzer)
}

/// What analysing an item needs of it; owned when a big feed's analysis threads take it
/// off the writer's path, borrowed otherwise.
struct Job<S> {
    key: S,
    content_hash: S,
    text: S,
    lang: Option<S>,
}

impl<'a> Job<&'a str> {
    fn of(item: &'a Item) -> Self {
        Job {
            key: &item.key,
            content_hash: &item.content_hash,
            text: &item.text,
            lang: item.lang.as_deref(),
        }
    }
}

impl<S: AsRef<str>> Job<S> {
    fn analyze(&self, analyzer: &Analyzer) -> AnalysisRows {
        let lang = self.lang.as_ref().map_or("en", AsRef::as_ref);
        AnalysisRows::new(analyzer.analyze(self.text.as_ref(), lang))
    }

    fn analyzed(&self, analyzer: &Analyzer) -> Analysed {
        let rows = self.analyze(analyzer);
        let (key, hash) = (self.key.as_ref(), self.content_hash.as_ref());
        (key.to_owned(), (hash.to_owned(), rows))
    }
}

/// A big feed (a first fetch of a long archive) is analysed on every core, in pieces taken
/// in feed order, which is the order the writer stores them in.
fn stream_analyses(analyzer: &Arc<Analyzer>, items: &[&Item]) -> Prepared {
    let jobs: Arc<Vec<Job<String>>> = Arc::new(
        items
            .iter()
            .map(|item| Job {
                key: item.key.clone(),
                content_hash: item.content_hash.clone(),
                text: item.text.clone(),
                lang: item.lang.clone(),
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let (send, arriving) = mpsc::channel();
    for _ in 0..cores() {
        let (analyzer, jobs, next, send) =
            (analyzer.clone(), jobs.clone(), next.clone(), send.clone());
        let work = move || {
            yield_to_the_writer();
            loop {
                let start = next.fetch_add(PIECE, Ordering::Relaxed);
                if start >= jobs.len() {
                    return;
                }
                let piece: Vec<Analysed> = jobs[start..(start + PIECE).min(jobs.len())]
                    .iter()
                    .map(|job| job.analyzed(&analyzer))
                    .collect();
                // The writer stopped listening: the refresh ended early.
                if send.send(piece).is_err() {
                    return;
                }
            }
        };
        // A thread that cannot start leaves its pieces to the others, or to the writer.
        let _ = std::thread::Builder::new()
            .name("veille-analysis".to_owned())
            .spawn(work);
    }
    Prepared {
        ready: HashMap::new(),
        arriving: Some(arriving),
    }
}
