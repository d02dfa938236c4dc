//! The data files users may want to change (sample feeds, curated subscriptions, lexicons,
//! gazetteers) live in the repository's `assets/` folder. They are embedded into the binary so
//! the app works from anywhere; setting `VEILLE_ASSETS` to a folder of the same layout makes
//! Veille read that folder instead, so a user can edit a lexicon without rebuilding.

use std::borrow::Cow;
use std::path::PathBuf;

use include_dir::{include_dir, Dir};

use crate::{Error, Result};

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../assets");

/// Where assets are read from.
#[derive(Debug, Clone)]
pub enum Assets {
    Embedded,
    Folder(PathBuf),
}

impl Assets {
    /// The folder named by `VEILLE_ASSETS` when set, else the embedded copy.
    pub fn from_env() -> Self {
        match std::env::var_os("VEILLE_ASSETS") {
            Some(dir) if !dir.is_empty() => Assets::Folder(PathBuf::from(dir)),
            _ => Assets::Embedded,
        }
    }

    /// The bytes of one asset, by its path relative to `assets/` (e.g. `feeds/curated.opml`).
    pub fn read(&self, rel: &str) -> Result<Cow<'static, [u8]>> {
        match self {
            Assets::Embedded => EMBEDDED
                .get_file(rel)
                .map(|f| Cow::Borrowed(f.contents()))
                .ok_or_else(|| Error::NotFound(format!("asset {rel}"))),
            Assets::Folder(dir) => {
                let path = dir.join(rel);
                std::fs::read(&path)
                    .map(Cow::Owned)
                    .map_err(|e| Error::file(path, e))
            }
        }
    }

    /// One asset as UTF-8 text.
    pub fn read_text(&self, rel: &str) -> Result<String> {
        let bytes = self.read(rel)?;
        String::from_utf8(bytes.into_owned())
            .map_err(|_| Error::Invalid(format!("asset {rel} is not UTF-8")))
    }

    /// The file names (not paths) directly inside an asset folder, sorted.
    pub fn list(&self, rel_dir: &str) -> Result<Vec<String>> {
        let mut names: Vec<String> = match self {
            Assets::Embedded => EMBEDDED
                .get_dir(rel_dir)
                .ok_or_else(|| Error::NotFound(format!("asset folder {rel_dir}")))?
                .files()
                .filter_map(|f| f.path().file_name()?.to_str().map(str::to_owned))
                .collect(),
            Assets::Folder(dir) => {
                let path = dir.join(rel_dir);
                std::fs::read_dir(&path)
                    .map_err(|e| Error::file(&path, e))?
                    .filter_map(|entry| entry.ok())
                    .filter(|entry| entry.path().is_file())
                    .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
                    .collect()
            }
        };
        names.sort();
        Ok(names)
    }
}
