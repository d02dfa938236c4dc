//! Long work off the UI thread: a refresh runs on its own thread with its own database
//! connection and streams one `refresh-progress` event per feed, then `refresh-done`.

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use veille_core::refresh::{self, FeedReport, Ingest, Status};
use veille_core::store::{NewFeed, Store};

use crate::error::{UiError, UiResult};
use crate::state::AppState;

/// The end of a refresh, for the summary line.
#[derive(Clone, Serialize)]
pub struct RefreshDone {
    pub feeds: usize,
    pub new: usize,
    pub updated: usize,
    pub failed: usize,
    pub error: Option<String>,
}

/// Starts refreshing every feed (or one); refuses while another refresh runs.
pub fn start(app: AppHandle, state: &AppState, feed_id: Option<i64>) -> UiResult<()> {
    {
        let mut running = state.refreshing.lock().unwrap_or_else(|p| p.into_inner());
        if *running {
            return Err(UiError::invalid("a refresh is already running"));
        }
        *running = true;
    }
    let db_path = state.db_path.clone();
    let ingest = Ingest::analyzing(state.analyzer.clone());
    let fetcher = state.fetcher()?;
    std::thread::spawn(move || {
        // Even a panic deep in the core ends the refresh cleanly: the flag is cleared and
        // the window told, so the next refresh is not refused.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(&app, &db_path, &ingest, &fetcher, feed_id).map_err(|e| e.to_string())
        }));
        let done = match outcome {
            Ok(Ok(done)) => done,
            Ok(Err(error)) => failed(error),
            Err(_) => failed("the refresh stopped unexpectedly".to_owned()),
        };
        if let Some(state) = tauri::Manager::try_state::<AppState>(&app) {
            *state.refreshing.lock().unwrap_or_else(|p| p.into_inner()) = false;
        }
        let _ = app.emit("refresh-done", done);
    });
    Ok(())
}

fn run(
    app: &AppHandle,
    db_path: &std::path::Path,
    ingest: &Ingest,
    fetcher: &veille_core::fetch::Fetcher,
    feed_id: Option<i64>,
) -> veille_core::Result<RefreshDone> {
    let mut store = Store::open(db_path)?;
    let feeds = match feed_id {
        Some(id) => vec![store.feed(id)?],
        None => store.feeds()?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let reports = runtime.block_on(refresh::refresh(
        &mut store,
        fetcher,
        feeds,
        ingest,
        |report| {
            let _ = app.emit("refresh-progress", report);
        },
    ))?;
    Ok(summary(&reports))
}

fn failed(error: String) -> RefreshDone {
    RefreshDone {
        feeds: 0,
        new: 0,
        updated: 0,
        failed: 0,
        error: Some(error),
    }
}

fn summary(reports: &[FeedReport]) -> RefreshDone {
    RefreshDone {
        feeds: reports.len(),
        new: reports.iter().map(|r| r.new).sum(),
        updated: reports.iter().map(|r| r.updated).sum(),
        failed: reports
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    Status::Failed | Status::Gone | Status::RateLimited
                )
            })
            .count(),
        error: None,
    }
}

/// Subscribes to a feed or a web page's feed, with its own connection, on its own thread
/// (commands run inside Tauri's async runtime, where another runtime cannot block).
pub fn subscribe(state: &AppState, url: String, folder: Option<String>) -> UiResult<FeedReport> {
    let db_path = state.db_path.clone();
    let ingest = Ingest::analyzing(state.analyzer.clone());
    let fetcher = state.fetcher()?;
    let worker = std::thread::spawn(move || -> veille_core::Result<FeedReport> {
        let mut store = Store::open(&db_path)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let new = NewFeed {
            url,
            folder,
            ..NewFeed::default()
        };
        runtime.block_on(refresh::subscribe(&mut store, &fetcher, new, &ingest))
    });
    match worker.join() {
        Ok(result) => Ok(result?),
        Err(_) => Err(UiError::invalid("adding the feed stopped unexpectedly")),
    }
}

/// On a first start (no subscription at all) loads the offline samples and subscribes to
/// the curated feeds, so a new user sees real articles at once without network.
pub fn first_start(state: &AppState) -> veille_core::Result<()> {
    let mut store = Store::open(&state.db_path)?;
    if !store.is_empty()? {
        return Ok(());
    }
    let fetcher = veille_core::fetch::Fetcher::new(Default::default(), state.assets.clone())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(veille_core::samples::import(
        &mut store,
        &fetcher,
        &state.assets,
        &Ingest::analyzing(state.analyzer.clone()),
    ))?;
    veille_core::samples::import_curated(&mut store, &state.assets)?;
    Ok(())
}
