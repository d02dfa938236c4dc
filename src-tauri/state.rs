//! What the app keeps while it runs: one store connection for the UI's commands, the
//! analyser and the fetcher. Refreshes open their own connection on their own thread.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use veille_core::analysis::Analyzer;
use veille_core::assets::Assets;
use veille_core::fetch::{FetchConfig, Fetcher};
use veille_core::store::Store;

use crate::error::{UiError, UiResult};

pub struct AppState {
    pub db_path: PathBuf,
    pub assets: Assets,
    pub analyzer: Arc<Analyzer>,
    store: Mutex<Store>,
    /// Set while a refresh runs, so a second one is refused rather than doubled.
    pub refreshing: Mutex<bool>,
}

impl AppState {
    pub fn open(db_path: PathBuf) -> veille_core::Result<AppState> {
        let assets = Assets::from_env();
        let analyzer = Arc::new(Analyzer::load(&assets)?);
        let store = Store::open(&db_path)?;
        Ok(AppState {
            db_path,
            assets,
            analyzer,
            store: Mutex::new(store),
            refreshing: Mutex::new(false),
        })
    }

    /// The UI's connection. A poisoned lock (a panic elsewhere) still gives the store:
    /// SQLite transactions keep the data consistent whatever happened.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn fetcher(&self) -> UiResult<Fetcher> {
        Fetcher::new(FetchConfig::default(), self.assets.clone())
            .map_err(|e| UiError::from(veille_core::Error::from(e)))
    }
}
