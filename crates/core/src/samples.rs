//! The offline samples: feed files written for Veille, bundled in `assets/samples/`, so the
//! app and the CLI have real articles to show with no network. They are subscribed to in a
//! folder named "Samples" that the user can remove like any other.

use crate::assets::Assets;
use crate::fetch::{Fetcher, SAMPLE_SCHEME};
use crate::opml;
use crate::refresh::{self, FeedReport, Ingest};
use crate::store::{NewFeed, Store};
use crate::Result;

/// The folder the samples are subscribed in.
pub const FOLDER: &str = "Samples";

/// The sample feed files (RSS, Atom, JSON Feed) in the assets.
pub fn files(assets: &Assets) -> Result<Vec<String>> {
    Ok(assets
        .list("samples")?
        .into_iter()
        .filter(|name| name.ends_with(".xml") || name.ends_with(".json"))
        .collect())
}

/// Subscribes to every sample feed in the "Samples" folder and loads its articles.
/// Running it again changes nothing that is already there.
pub async fn import(
    store: &mut Store,
    fetcher: &Fetcher,
    assets: &Assets,
    ingest: &Ingest,
) -> Result<Vec<FeedReport>> {
    for name in files(assets)? {
        store.add_feed(&NewFeed {
            url: format!("{SAMPLE_SCHEME}{name}"),
            folder: Some(FOLDER.to_owned()),
            ..NewFeed::default()
        })?;
    }
    let feeds = store
        .feeds()?
        .into_iter()
        .filter(|f| f.url.starts_with(SAMPLE_SCHEME))
        .collect();
    refresh::refresh(store, fetcher, feeds, ingest, |_| {}).await
}

/// Subscribes to the curated list of real feeds (`assets/feeds/curated.opml`); returns how
/// many were new.
pub fn import_curated(store: &mut Store, assets: &Assets) -> Result<usize> {
    let text = assets.read_text("feeds/curated.opml")?;
    let mut added = 0;
    for sub in opml::read(&text)? {
        if store.add_feed(&NewFeed::from(sub))?.1 {
            added += 1;
        }
    }
    Ok(added)
}
