//! The commands the UI may invoke. Each validates its input, calls the core and maps
//! errors to `UiError`; none holds SQL, parsing or analysis of its own.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use veille_core::analysis::TagKind;
use veille_core::store::{
    Article, ArticleFilter, ArticleSummary, FeedRow, Highlight, Note, SearchHit, StoredClaim,
    TagCount, TagDecision, Verdict,
};
use veille_core::{export, files, opml};

use crate::error::{UiError, UiResult};
use crate::state::AppState;

/// Which articles the list shows.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub view: Option<String>,
    pub feed_id: Option<i64>,
    pub folder: Option<String>,
    pub lang: Option<String>,
    pub theme: Option<String>,
    pub country: Option<String>,
    pub tag: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

impl ListQuery {
    fn filter(&self) -> UiResult<ArticleFilter> {
        let (unread_only, starred_only) = match self.view.as_deref() {
            None | Some("all") => (false, false),
            Some("unread") => (true, false),
            Some("starred") => (false, true),
            Some(other) => return Err(UiError::invalid(format!("unknown view {other}"))),
        };
        Ok(ArticleFilter {
            lang: self.lang.clone(),
            feed_id: self.feed_id,
            folder: self.folder.clone(),
            theme: self.theme.clone(),
            country: self.country.clone(),
            tag: self.tag.clone(),
            since: None,
            until: None,
            unread_only,
            starred_only,
            limit: Some(self.limit.clamp(1, 500)),
            offset: self.offset,
        })
    }
}

/// A list row: the article and its main topics as chips.
#[derive(Serialize)]
pub struct ListItem {
    #[serde(flatten)]
    pub article: ArticleSummary,
    pub themes: Vec<String>,
    pub countries: Vec<String>,
}

#[derive(Serialize)]
pub struct ListPage {
    pub total: i64,
    pub offset: usize,
    pub items: Vec<ListItem>,
}

#[tauri::command(async)]
pub fn list_articles(state: State<'_, AppState>, query: ListQuery) -> UiResult<ListPage> {
    let filter = query.filter()?;
    let store = state.store();
    let total = store.count_articles(&filter)?;
    let articles = store.articles(&filter)?;
    let ids: Vec<i64> = articles.iter().map(|a| a.id).collect();
    let mut topics = store.topics_of(&ids)?;
    let items = articles
        .into_iter()
        .map(|article| {
            let topics = topics.remove(&article.id).unwrap_or_default();
            let pick = |kind: TagKind| {
                topics
                    .iter()
                    .filter(|t| t.kind == kind)
                    .take(3)
                    .map(|t| t.id.clone())
                    .collect()
            };
            ListItem {
                themes: pick(TagKind::Theme),
                countries: pick(TagKind::Country),
                article,
            }
        })
        .collect();
    Ok(ListPage {
        total,
        offset: query.offset,
        items,
    })
}

/// Everything the sidebar shows.
#[derive(Serialize)]
pub struct Sidebar {
    pub feeds: Vec<FeedRow>,
    pub all: i64,
    pub unread: i64,
    pub starred: i64,
    pub languages: Vec<(String, i64)>,
    pub themes: Vec<(String, i64)>,
    pub countries: Vec<(String, i64)>,
    pub tags: Vec<TagCount>,
}

#[tauri::command(async)]
pub fn sidebar(state: State<'_, AppState>) -> UiResult<Sidebar> {
    let store = state.store();
    let count = |unread_only: bool, starred_only: bool| {
        store.count_articles(&ArticleFilter {
            unread_only,
            starred_only,
            ..ArticleFilter::default()
        })
    };
    Ok(Sidebar {
        all: count(false, false)?,
        unread: count(true, false)?,
        starred: count(false, true)?,
        feeds: store.feeds()?,
        languages: store.language_counts()?,
        themes: store.topic_counts(TagKind::Theme)?,
        countries: store.topic_counts(TagKind::Country)?,
        tags: store.tags()?,
    })
}

/// The reader's view of an article.
#[derive(Serialize)]
pub struct ArticleView {
    pub article: Article,
    pub claims: Vec<StoredClaim>,
    pub tags: Vec<String>,
    pub note: Option<Note>,
    pub highlights: Vec<Highlight>,
    pub themes: Vec<(String, String)>,
}

#[tauri::command(async)]
pub fn get_article(state: State<'_, AppState>, id: i64) -> UiResult<ArticleView> {
    let store = state.store();
    Ok(ArticleView {
        article: store.article(id)?,
        claims: store.claims(id)?,
        tags: store.article_tags(id)?,
        note: store.note(id)?,
        highlights: store.highlights(id)?,
        themes: state.analyzer.themes().to_vec(),
    })
}

#[tauri::command(async)]
pub fn search(state: State<'_, AppState>, query: String) -> UiResult<Vec<SearchHit>> {
    Ok(state.store().search(&query, 200)?)
}

#[tauri::command(async)]
pub fn set_read(state: State<'_, AppState>, id: i64, read: bool) -> UiResult<()> {
    Ok(state.store().set_read(id, read)?)
}

#[tauri::command(async)]
pub fn set_starred(state: State<'_, AppState>, id: i64, starred: bool) -> UiResult<()> {
    Ok(state.store().set_starred(id, starred)?)
}

#[tauri::command(async)]
pub fn decide_tag(
    state: State<'_, AppState>,
    claim_id: i64,
    kind: String,
    value: String,
    verdict: String,
) -> UiResult<Vec<StoredClaim>> {
    let kind = match kind.as_str() {
        "theme" if state.analyzer.themes().iter().any(|(id, _)| *id == value) => TagKind::Theme,
        "country" if value.len() == 2 && value.chars().all(|c| c.is_ascii_uppercase()) => {
            TagKind::Country
        }
        _ => return Err(UiError::invalid(format!("{value:?} is not a known {kind}"))),
    };
    let verdict = match verdict.as_str() {
        "confirmed" => Verdict::Confirmed,
        "rejected" => Verdict::Rejected,
        "added" => Verdict::Added,
        other => return Err(UiError::invalid(format!("unknown verdict {other}"))),
    };
    let mut store = state.store();
    store.decide(&TagDecision {
        claim_id,
        kind,
        value,
        verdict,
    })?;
    let article_id = store
        .claims_article(claim_id)?
        .ok_or_else(|| UiError::invalid(format!("no claim {claim_id}")))?;
    Ok(store.claims(article_id)?)
}

#[tauri::command(async)]
pub fn tag_article(state: State<'_, AppState>, id: i64, tag: String) -> UiResult<Vec<String>> {
    let mut store = state.store();
    store.tag_article(id, &tag)?;
    Ok(store.article_tags(id)?)
}

#[tauri::command(async)]
pub fn untag_article(state: State<'_, AppState>, id: i64, tag: String) -> UiResult<Vec<String>> {
    let mut store = state.store();
    store.untag_article(id, &tag)?;
    Ok(store.article_tags(id)?)
}

#[tauri::command(async)]
pub fn save_note(state: State<'_, AppState>, id: i64, body: String) -> UiResult<()> {
    if body.len() > 1_000_000 {
        return Err(UiError::invalid("a note is limited to 1 MB"));
    }
    Ok(state.store().save_note(id, &body)?)
}

/// Opens an article's link in the system browser (only http and https).
#[tauri::command(async)]
pub fn open_link(app: AppHandle, url: String) -> UiResult<()> {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(UiError::invalid("only web links can be opened"));
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| UiError::invalid(format!("no browser could open the link: {e}")))
}

#[derive(Serialize)]
pub struct Settings {
    pub load_images: bool,
    pub ui_lang: Option<String>,
}

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> UiResult<Settings> {
    let store = state.store();
    Ok(Settings {
        load_images: store.setting("load_images")?.as_deref() == Some("true"),
        ui_lang: store.setting("ui_lang")?,
    })
}

#[tauri::command(async)]
pub fn set_setting(state: State<'_, AppState>, key: String, value: String) -> UiResult<()> {
    let valid = match key.as_str() {
        "load_images" => matches!(value.as_str(), "true" | "false"),
        "ui_lang" => matches!(value.as_str(), "en" | "fr"),
        _ => false,
    };
    if !valid {
        return Err(UiError::invalid(format!("no setting {key} = {value}")));
    }
    Ok(state.store().set_setting(&key, &value)?)
}

#[tauri::command(async)]
pub fn add_feed(
    state: State<'_, AppState>,
    url: String,
    folder: Option<String>,
) -> UiResult<veille_core::refresh::FeedReport> {
    let url = url.trim().to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(UiError::invalid(
            "a feed address starts with http:// or https://",
        ));
    }
    crate::refresh::subscribe(&state, url, folder.filter(|f| !f.trim().is_empty()))
}

#[tauri::command(async)]
pub fn remove_feed(
    state: State<'_, AppState>,
    id: i64,
) -> UiResult<veille_core::store::RemovedFeed> {
    Ok(state.store().remove_feed(id)?)
}

/// Asks for an OPML file with the system's dialog and subscribes to its feeds.
#[tauri::command(async)]
pub fn import_opml(app: AppHandle, state: State<'_, AppState>) -> UiResult<Option<usize>> {
    let Some(picked) = app
        .dialog()
        .file()
        .add_filter("OPML", &["opml", "xml"])
        .blocking_pick_file()
    else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| UiError::invalid(e.to_string()))?;
    let text =
        std::fs::read(&path).map_err(|e| UiError::from(veille_core::Error::file(&path, e)))?;
    let subscriptions = opml::read(&String::from_utf8_lossy(&text))?;
    let mut store = state.store();
    let mut added = 0;
    for sub in subscriptions {
        added += usize::from(store.add_feed(&sub.into())?.1);
    }
    Ok(Some(added))
}

/// Asks where to save and writes the subscriptions as OPML.
#[tauri::command(async)]
pub fn export_opml(app: AppHandle, state: State<'_, AppState>) -> UiResult<Option<String>> {
    let Some(picked) = app
        .dialog()
        .file()
        .add_filter("OPML", &["opml"])
        .set_file_name("veille.opml")
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| UiError::invalid(e.to_string()))?;
    let text = opml::write("Veille subscriptions", &state.store().subscriptions()?);
    files::write_atomic(&path, text.as_bytes())?;
    Ok(Some(path.display().to_string()))
}

/// Exports what the list shows (its filters) in `format`, asking where with the system's
/// dialog (a folder for Markdown, a file otherwise).
#[tauri::command(async)]
pub fn export_selection(
    app: AppHandle,
    state: State<'_, AppState>,
    format: String,
    query: ListQuery,
) -> UiResult<Option<String>> {
    let filter = ArticleFilter {
        limit: None,
        ..query.filter()?
    };
    let (extension, default_name) = match format.as_str() {
        "markdown" => ("", "veille-notes"),
        "csv" => ("csv", "veille-claims.csv"),
        "json" => ("json", "veille-export.json"),
        "digest" => ("md", "veille-briefing.md"),
        "opml" => ("opml", "veille.opml"),
        other => return Err(UiError::invalid(format!("unknown export format {other}"))),
    };
    let dialog = app.dialog().file().set_file_name(default_name);
    let picked = if extension.is_empty() {
        dialog.blocking_pick_folder()
    } else {
        dialog
            .add_filter(format.to_uppercase(), &[extension])
            .blocking_save_file()
    };
    let Some(picked) = picked else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| UiError::invalid(e.to_string()))?;
    let store = state.store();
    let bytes = match format.as_str() {
        "opml" => opml::write("Veille subscriptions", &store.subscriptions()?).into_bytes(),
        "markdown" => {
            let names = export::write_markdown_folder(&path, &export::select(&store, &filter)?)?;
            return Ok(Some(format!("{} ({} notes)", path.display(), names.len())));
        }
        "csv" => export::claims_csv(&export::select(&store, &filter)?)?,
        "json" => export::export_json(export::select(&store, &filter)?)?.into_bytes(),
        _ => export::digest(&export::select(&store, &filter)?, "Veille briefing", "").into_bytes(),
    };
    files::write_atomic(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(async)]
pub fn add_highlight(
    state: State<'_, AppState>,
    id: i64,
    quote: String,
    note: String,
) -> UiResult<Vec<Highlight>> {
    if quote.trim().is_empty() || quote.len() > 20_000 {
        return Err(UiError::invalid(
            "select a passage of the article to highlight",
        ));
    }
    let mut store = state.store();
    store.add_highlight(id, &quote, &note, None)?;
    Ok(store.highlights(id)?)
}

#[tauri::command(async)]
pub fn remove_highlight(
    state: State<'_, AppState>,
    article_id: i64,
    id: i64,
) -> UiResult<Vec<Highlight>> {
    let mut store = state.store();
    store.remove_highlight(id)?;
    Ok(store.highlights(article_id)?)
}

#[tauri::command(async)]
pub fn rename_tag(state: State<'_, AppState>, from: String, to: String) -> UiResult<()> {
    Ok(state.store().rename_tag(&from, &to)?)
}

#[tauri::command(async)]
pub fn delete_tag(state: State<'_, AppState>, tag: String) -> UiResult<usize> {
    Ok(state.store().delete_tag(&tag)?)
}

#[tauri::command(async)]
pub fn set_tag_color(
    state: State<'_, AppState>,
    tag: String,
    color: Option<String>,
) -> UiResult<()> {
    Ok(state.store().set_tag_color(&tag, color.as_deref())?)
}

#[tauri::command(async)]
pub fn refresh(app: AppHandle, state: State<'_, AppState>, feed_id: Option<i64>) -> UiResult<()> {
    crate::refresh::start(app, &state, feed_id)
}
