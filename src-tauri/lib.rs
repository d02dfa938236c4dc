//! Veille's desktop shell: a thin Tauri layer over `veille-core`. Commands live in
//! `commands`, long work in `refresh`, shared state in `state`, the UI's error type in
//! `error`. The UI itself is plain HTML, CSS and ES modules in `ui/`.

mod commands;
mod error;
mod refresh;
mod state;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use veille_core::store::Store;

/// When the process started, for the first-paint figure (`VEILLE_TIMING=1`).
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Called by the UI once the first list is painted; with `VEILLE_TIMING` set, prints the
/// time since start so benchmarks can measure cold start without instrumenting the UI.
#[tauri::command]
fn ui_ready() {
    if std::env::var_os("VEILLE_TIMING").is_some() {
        let elapsed = STARTED.get().map_or(0, |t| t.elapsed().as_millis());
        eprintln!("veille: first paint after {elapsed} ms");
    }
}

/// The database: `VEILLE_DB` when set (as for the CLI), else the platform default.
fn database_path() -> veille_core::Result<PathBuf> {
    match std::env::var_os("VEILLE_DB") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => Store::default_path(),
    }
}

/// Opens the state, or says why it cannot and exits: without a database there is nothing
/// to show, and a dialog-free message on standard error is what a launcher can log.
fn open_state() -> state::AppState {
    let opened = database_path().and_then(|path| {
        let state = state::AppState::open(path)?;
        refresh::first_start(&state)?;
        Ok(state)
    });
    match opened {
        Ok(state) => state,
        Err(error) => {
            eprintln!("veille: cannot start: {error}");
            std::process::exit(1);
        }
    }
}

pub fn run() {
    STARTED.get_or_init(Instant::now);
    let state = open_state();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::list_articles,
            commands::sidebar,
            commands::get_article,
            commands::search,
            commands::set_read,
            commands::set_starred,
            commands::decide_tag,
            commands::tag_article,
            commands::untag_article,
            commands::save_note,
            commands::open_link,
            commands::get_settings,
            commands::set_setting,
            commands::add_feed,
            commands::remove_feed,
            commands::import_opml,
            commands::export_opml,
            commands::refresh,
            commands::export_selection,
            commands::add_highlight,
            commands::remove_highlight,
            commands::rename_tag,
            commands::delete_tag,
            commands::set_tag_color,
            ui_ready,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("veille: the window could not run: {error}");
        std::process::exit(1);
    }
}
