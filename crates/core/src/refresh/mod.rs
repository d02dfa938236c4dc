//! Refreshing subscriptions: fetch every due feed concurrently, parse off the async
//! threads, and write each feed in its own transaction as soon as it arrives. One bad feed
//! costs only its own timeout and ends as a readable per-feed error.

mod ingest;

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::stream::{self, StreamExt};
use futures_util::FutureExt;
use serde::Serialize;
use tokio::sync::Semaphore;

pub use ingest::{Ingest, Prepared};

use crate::feed::{self, ParsedFeed};
use crate::fetch::{ErrorKind, FetchError, Fetcher, Outcome, Validators};
use crate::store::{ApplyCounts, FeedRow, FeedUpdate, NewFeed, Store};
use crate::{charset, discover, time, Error, Result};

/// What happened to one feed during a refresh.
#[derive(Debug, Clone, Serialize)]
pub struct FeedReport {
    pub feed_id: i64,
    pub url: String,
    pub title: String,
    pub status: Status,
    pub new: usize,
    pub updated: usize,
    pub error: Option<String>,
    pub error_kind: Option<ErrorKind>,
    /// Set while a server's Retry-After keeps the feed from being fetched.
    pub retry_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Updated,
    NotModified,
    /// Not fetched: the server asked to wait (Retry-After), or the feed is gone.
    Skipped,
    RateLimited,
    Gone,
    Failed,
}

impl FeedReport {
    fn new(feed: &FeedRow, status: Status) -> Self {
        FeedReport {
            feed_id: feed.id,
            url: feed.url.clone(),
            title: feed.title.clone(),
            status,
            new: 0,
            updated: 0,
            error: None,
            error_kind: None,
            retry_at: None,
        }
    }

    fn failed(feed: &FeedRow, error: &FetchError) -> Self {
        FeedReport {
            error: Some(error.message.clone()),
            error_kind: Some(error.kind),
            ..FeedReport::new(feed, Status::Failed)
        }
    }
}

/// A fetch that is ready to be written.
enum Fetched {
    Parsed(Box<NewContent>),
    NotModified { moved_to: Option<String> },
    Gone,
    RetryLater { until: i64, status: u16 },
}

/// A parsed feed with what the writer needs to store it.
struct NewContent {
    parsed: ParsedFeed,
    prepared: Prepared,
    validators: Validators,
    moved_to: Option<String>,
}

/// Refreshes `feeds` (gone feeds and feeds under a Retry-After are skipped), calling
/// `progress` as each feed finishes.
pub async fn refresh(
    store: &mut Store,
    fetcher: &Fetcher,
    feeds: Vec<FeedRow>,
    ingest: &Ingest,
    progress: impl FnMut(&FeedReport),
) -> Result<Vec<FeedReport>> {
    store.prepare_for_bulk_writes()?;
    let checkpoints = store.checkpoint_in_background()?;
    let reports = refresh_feeds(store, fetcher, feeds, ingest, progress).await;
    checkpoints.stop(store)?;
    reports
}

/// [`refresh`] with the store ready for bulk writes.
async fn refresh_feeds(
    store: &mut Store,
    fetcher: &Fetcher,
    feeds: Vec<FeedRow>,
    ingest: &Ingest,
    mut progress: impl FnMut(&FeedReport),
) -> Result<Vec<FeedReport>> {
    let now = time::now();
    let mut reports = Vec::with_capacity(feeds.len());
    let (due, waiting): (Vec<FeedRow>, Vec<FeedRow>) = feeds
        .into_iter()
        .partition(|f| !f.gone && f.retry_at.is_none_or(|t| t <= now));
    for feed in waiting {
        let report = FeedReport {
            retry_at: feed.retry_at,
            error: feed.last_error.clone(),
            ..FeedReport::new(&feed, Status::Skipped)
        };
        progress(&report);
        reports.push(report);
    }
    let in_flight = fetcher.config().max_in_flight.max(1) * 2;
    let db = store.path().to_owned();
    let cpu = Arc::new(Semaphore::new(ingest::cores()));
    let mut results = stream::iter(due)
        .map(|feed| {
            let work = Work {
                feed_id: feed.id,
                lang: feed.lang.clone(),
                db: db.clone(),
                ingest: ingest.clone(),
                cpu: cpu.clone(),
            };
            let task = FetchTask::spawn(fetcher, &feed, work);
            async move { (feed, task.finished().await) }
        })
        .buffer_unordered(in_flight);
    while let Some(first) = results.next().await {
        let mut ready = vec![first];
        let mut items = parsed_items(&ready[0].1);
        while items < BATCH_ITEMS {
            match results.next().now_or_never() {
                Some(Some(next)) => {
                    items += parsed_items(&next.1);
                    ready.push(next);
                }
                _ => break,
            }
        }
        for report in write_ready(store, ready, ingest)? {
            progress(&report);
            reports.push(report);
        }
    }
    Ok(reports)
}

/// One feed's fetch and parse, running as its own task: downloads go on while the writer
/// writes (a future polled by the refresh itself would wait for every write). Aborted when
/// dropped, so an early end of the refresh leaves nothing running.
struct FetchTask(tokio::task::JoinHandle<Result<Fetched, FetchError>>);

impl FetchTask {
    fn spawn(fetcher: &Fetcher, feed: &FeedRow, work: Work) -> FetchTask {
        let (fetcher, url, validators) = (fetcher.clone(), feed.url.clone(), feed.validators());
        FetchTask(tokio::spawn(async move {
            fetch_and_parse(&fetcher, &url, &validators, work).await
        }))
    }

    async fn finished(mut self) -> Result<Fetched, FetchError> {
        match (&mut self.0).await {
            Ok(result) => result,
            Err(e) => Err(FetchError::new(
                ErrorKind::Parse,
                format!("fetching stopped: {e}"),
            )),
        }
    }
}

impl Drop for FetchTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Feeds whose fetch finished together are written in one transaction, up to this many
/// items: each commit rewrites the pages it touched, and small feeds touch the same ones.
const BATCH_ITEMS: usize = 2_000;

fn parsed_items(result: &Result<Fetched, FetchError>) -> usize {
    match result {
        Ok(Fetched::Parsed(content)) => content.parsed.items.len(),
        _ => 0,
    }
}

/// Writes the fetch results that are ready: parsed feeds together in one transaction
/// (each feed whole), the others one by one.
fn write_ready(
    store: &mut Store,
    ready: Vec<(FeedRow, Result<Fetched, FetchError>)>,
    ingest: &Ingest,
) -> Result<Vec<FeedReport>> {
    let mut reports = Vec::with_capacity(ready.len());
    let mut fetched = Vec::new();
    for (feed, result) in ready {
        match result {
            Ok(Fetched::Parsed(content)) => fetched.push((feed, *content)),
            other => reports.push(write(store, &feed, other, ingest)?),
        }
    }
    reports.extend(write_new_content(store, fetched, ingest)?);
    Ok(reports)
}

/// Writes parsed feeds in one transaction, each with its prepared analyses.
fn write_new_content(
    store: &mut Store,
    mut fetched: Vec<(FeedRow, NewContent)>,
    ingest: &Ingest,
) -> Result<Vec<FeedReport>> {
    if fetched.is_empty() {
        return Ok(Vec::new());
    }
    let mut hooks: Vec<_> = fetched
        .iter_mut()
        .map(|(_, content)| ingest.hook(std::mem::take(&mut content.prepared)))
        .collect();
    let updates: Vec<FeedUpdate<'_>> = fetched
        .iter()
        .map(|(feed, content)| FeedUpdate {
            id: feed.id,
            parsed: &content.parsed,
            validators: &content.validators,
            moved_to: content.moved_to.as_deref(),
        })
        .collect();
    let counts = store.apply_feeds(&updates, |index, tx, article, item| {
        hooks[index](tx, article, item)
    })?;
    Ok(fetched
        .into_iter()
        .zip(counts)
        .map(|((feed, content), counts)| updated(&feed, content, counts))
        .collect())
}

/// The report of a feed written with new content.
fn updated(feed: &FeedRow, content: NewContent, counts: ApplyCounts) -> FeedReport {
    let mut report = FeedReport::new(feed, Status::Updated);
    report.new = counts.new;
    report.updated = counts.updated;
    if let Some(url) = content.moved_to {
        report.url = url;
    }
    if report.title.is_empty() {
        report.title = content.parsed.title;
    }
    report
}

/// Writes one fetch result. Only store errors (the database itself failing) stop a refresh.
fn write(
    store: &mut Store,
    feed: &FeedRow,
    result: Result<Fetched, FetchError>,
    ingest: &Ingest,
) -> Result<FeedReport> {
    let fetched = match result {
        Ok(fetched) => fetched,
        Err(error) => {
            store.record_failure(feed.id, error.kind, &error.message, None)?;
            return Ok(FeedReport::failed(feed, &error));
        }
    };
    match fetched {
        Fetched::Parsed(content) => {
            let mut reports = write_new_content(store, vec![(feed.clone(), *content)], ingest)?;
            reports
                .pop()
                .ok_or_else(|| Error::Feed("the feed was not written".to_owned()))
        }
        Fetched::NotModified { moved_to } => {
            store.record_not_modified(feed.id, moved_to.as_deref())?;
            Ok(FeedReport::new(feed, Status::NotModified))
        }
        Fetched::Gone => {
            store.record_gone(feed.id)?;
            let error =
                FetchError::new(ErrorKind::Gone, "410 Gone: the publisher removed this feed");
            Ok(FeedReport {
                status: Status::Gone,
                ..FeedReport::failed(feed, &error)
            })
        }
        Fetched::RetryLater { until, status } => {
            let message = format!(
                "{status}: the server asked to wait until {}",
                time::rfc3339(until)
            );
            store.record_failure(feed.id, ErrorKind::RateLimited, &message, Some(until))?;
            let error = FetchError::new(ErrorKind::RateLimited, message);
            Ok(FeedReport {
                status: Status::RateLimited,
                retry_at: Some(until),
                ..FeedReport::failed(feed, &error)
            })
        }
    }
}

/// What a parse worker needs to prepare one feed for the writer.
struct Work {
    feed_id: i64,
    /// The feed's declared language, a hint for short items.
    lang: Option<String>,
    db: PathBuf,
    ingest: Ingest,
    /// One permit per core: more parse jobs at once than cores only hold more parsed
    /// feeds in memory and switch between them.
    cpu: Arc<Semaphore>,
}

async fn fetch_and_parse(
    fetcher: &Fetcher,
    url: &str,
    validators: &Validators,
    work: Work,
) -> Result<Fetched, FetchError> {
    match fetcher.fetch(url, validators).await? {
        Outcome::Fetched { document, moved_to } => {
            let validators = document.validators.clone();
            let (parsed, prepared) = prepare_off_thread(document, work).await?;
            Ok(Fetched::Parsed(Box::new(NewContent {
                parsed,
                prepared,
                validators,
                moved_to,
            })))
        }
        Outcome::NotModified { moved_to } => Ok(Fetched::NotModified { moved_to }),
        Outcome::Gone => Ok(Fetched::Gone),
        Outcome::RetryLater { until, status } => Ok(Fetched::RetryLater { until, status }),
    }
}

/// Decoding, parsing, sanitising and analysing are CPU work: they run on the blocking pool,
/// in parallel, so fetches keep flowing and the writer only writes.
async fn prepare_off_thread(
    document: crate::fetch::Document,
    work: Work,
) -> Result<(ParsedFeed, Prepared), FetchError> {
    let permit = work.cpu.clone().acquire_owned().await.ok();
    let job = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        ingest::yield_to_the_writer();
        let parsed = parse_document(&document, work.lang.as_deref())?;
        let prepared = work.ingest.prepare(&work.db, work.feed_id, &parsed.items);
        Ok((parsed, prepared))
    });
    match job.await {
        Ok(result) => result,
        Err(e) => Err(FetchError::new(
            ErrorKind::Parse,
            format!("parsing stopped: {e}"),
        )),
    }
}

/// Decodes and parses a fetched document. A web page instead of a feed is told apart from
/// a broken feed, because the user's fix differs.
pub fn parse_document(
    document: &crate::fetch::Document,
    lang_hint: Option<&str>,
) -> Result<ParsedFeed, FetchError> {
    let (text, _) = charset::decode(&document.body, document.content_type.as_deref());
    match feed::parse(&text, &document.final_url, time::now()) {
        Ok(mut parsed) => {
            if parsed.language.is_none() {
                parsed.language = lang_hint.map(str::to_owned);
            }
            Ok(parsed)
        }
        Err(_) if discover::looks_like_html(document.content_type.as_deref(), &text) => {
            Err(FetchError::new(
                ErrorKind::NotAFeed,
                "this address is a web page, not a feed (add the page itself to find its feed)",
            ))
        }
        Err(e) => Err(FetchError::new(ErrorKind::Parse, e.0)),
    }
}

/// Subscribes to `url`: a feed is added as it is; a web page is searched for the feeds it
/// advertises (`<link rel="alternate">`) and the first that parses is added. The feed's
/// articles are stored at once.
pub async fn subscribe(
    store: &mut Store,
    fetcher: &Fetcher,
    new: NewFeed,
    ingest: &Ingest,
) -> Result<FeedReport> {
    let (url, document) = find_feed(fetcher, new.url.trim()).await?;
    let parsed = parse_document(&document, new.lang.as_deref())?;
    let (id, _) = store.add_feed(&NewFeed {
        url: url.clone(),
        site_url: new.site_url.clone().or_else(|| parsed.site_url.clone()),
        ..new
    })?;
    let feed = store.feed(id)?;
    // A new subscription may bring a long archive: analyse it before taking the write lock.
    let (db, worker) = (store.path().to_owned(), ingest.clone());
    let (parsed, prepared) = tokio::task::spawn_blocking(move || {
        let prepared = worker.prepare(&db, id, &parsed.items);
        (parsed, prepared)
    })
    .await
    .map_err(|e| Error::Feed(format!("analysing the new feed stopped: {e}")))?;
    write(
        store,
        &feed,
        Ok(Fetched::Parsed(Box::new(NewContent {
            validators: document.validators.clone(),
            parsed,
            prepared,
            moved_to: None,
        }))),
        ingest,
    )
}

async fn find_feed(fetcher: &Fetcher, url: &str) -> Result<(String, crate::fetch::Document)> {
    let document = fetch_document(fetcher, url).await?;
    let (text, _) = charset::decode(&document.body, document.content_type.as_deref());
    if !discover::looks_like_html(document.content_type.as_deref(), &text) {
        return Ok((document.final_url.clone(), document));
    }
    let page_url =
        url::Url::parse(&document.final_url).map_err(|e| Error::Invalid(e.to_string()))?;
    let candidates = discover::feed_links(&text, &page_url);
    if candidates.is_empty() {
        return Err(Error::Feed(format!(
            "{url} is a web page that advertises no feed"
        )));
    }
    let mut last_error = None;
    for candidate in candidates {
        match fetch_document(fetcher, candidate.as_str()).await {
            Ok(doc) if parse_document(&doc, None).is_ok() => {
                return Ok((doc.final_url.clone(), doc))
            }
            Ok(_) => last_error = Some(Error::Feed(format!("{candidate} is not a readable feed"))),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| Error::Feed(format!("no feed found at {url}"))))
}

async fn fetch_document(fetcher: &Fetcher, url: &str) -> Result<crate::fetch::Document> {
    match fetcher.fetch(url, &Validators::default()).await? {
        Outcome::Fetched { document, .. } => Ok(document),
        Outcome::NotModified { .. } => Err(Error::Feed(format!(
            "{url} answered 304 to a plain request"
        ))),
        Outcome::Gone => Err(Error::Feed(format!("{url} is gone (410)"))),
        Outcome::RetryLater { until, status } => Err(Error::Feed(format!(
            "{url} asks to wait ({status}) until {}",
            time::rfc3339(until)
        ))),
    }
}
