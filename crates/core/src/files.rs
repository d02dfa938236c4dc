//! Writing files the user keeps (exports, OPML): atomically, so an interrupted write never
//! leaves a half-written file and an existing file is replaced only on success.

use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// Writes `contents` to `path` through a temporary file in the same folder, then renames.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::file(dir, e))?;
    tmp.write_all(contents).map_err(|e| Error::file(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::file(path, e))?;
    tmp.persist(path).map_err(|e| Error::file(path, e.error))?;
    Ok(())
}
