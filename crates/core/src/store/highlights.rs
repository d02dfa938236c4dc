//! Highlights: spans of an article's text the user marked, with an optional note.

use rusqlite::{params, Transaction};
use serde::Serialize;

use super::Store;
use crate::{time, Error, Result};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Highlight {
    pub id: i64,
    pub article_id: i64,
    /// Byte range in the article's plain text (meaningless while detached).
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub note: String,
    /// The quote is no longer in the article's text.
    pub detached: bool,
}

fn highlight_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Highlight> {
    Ok(Highlight {
        id: r.get(0)?,
        article_id: r.get(1)?,
        start: r.get::<_, i64>(2)? as usize,
        end: r.get::<_, i64>(3)? as usize,
        quote: r.get(4)?,
        note: r.get(5)?,
        detached: r.get(6)?,
    })
}

/// Finds `quote` in `text`, the occurrence nearest to `near` (byte offset) first.
fn locate(text: &str, quote: &str, near: usize) -> Option<usize> {
    if quote.is_empty() {
        return None;
    }
    text.match_indices(quote)
        .map(|(at, _)| at)
        .min_by_key(|at| at.abs_diff(near))
}

/// Finds `quote` in `text` where any run of whitespace in the quote may stand for any run
/// of whitespace in the text (a selection across paragraphs in the app); returns the byte
/// range in `text`.
fn locate_loosely(text: &str, quote: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = quote.split_whitespace().collect();
    let first = *words.first()?;
    'start: for (at, _) in text.match_indices(first) {
        let mut end = at + first.len();
        for word in &words[1..] {
            let rest = &text[end..];
            let gap = rest.len() - rest.trim_start().len();
            if gap == 0 || !rest[gap..].starts_with(word) {
                continue 'start;
            }
            end += gap + word.len();
        }
        return Some((at, end));
    }
    None
}

/// After an article's text changed, moves each highlight to where its quote now stands,
/// or marks it detached (it is never deleted).
pub(super) fn reanchor(tx: &Transaction<'_>, article_id: i64, text: &str) -> Result<()> {
    let highlights = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, article_id, start, end, quote, note, detached FROM highlights WHERE article_id = ?1",
        )?;
        let rows = stmt
            .query_map([article_id], highlight_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut update = tx.prepare_cached(
        "UPDATE highlights SET start = ?2, end = ?3, detached = ?4 WHERE id = ?1",
    )?;
    for h in highlights {
        match locate(text, &h.quote, h.start) {
            Some(at) => {
                update.execute(params![h.id, at as i64, (at + h.quote.len()) as i64, false])?
            }
            None => update.execute(params![h.id, h.start as i64, h.end as i64, true])?,
        };
    }
    Ok(())
}

impl Store {
    /// Highlights a quote of an article's text (the occurrence nearest `near`, or the first).
    pub fn add_highlight(
        &mut self,
        article_id: i64,
        quote: &str,
        note: &str,
        near: Option<usize>,
    ) -> Result<Highlight> {
        let article = self.article(article_id)?;
        let quote = quote.trim();
        let (at, end) = match locate(&article.text, quote, near.unwrap_or(0)) {
            Some(at) => (at, at + quote.len()),
            None => locate_loosely(&article.text, quote).ok_or_else(|| {
                Error::Invalid(format!("the article's text does not contain {quote:?}"))
            })?,
        };
        let quote = &article.text[at..end];
        let id = self.write(|tx| {
            tx.execute(
                "INSERT INTO highlights (article_id, start, end, quote, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![article_id, at as i64, (at + quote.len()) as i64, quote, note.trim(), time::now()],
            )?;
            Ok(tx.last_insert_rowid())
        })?;
        Ok(Highlight {
            id,
            article_id,
            start: at,
            end: at + quote.len(),
            quote: quote.to_owned(),
            note: note.trim().to_owned(),
            detached: false,
        })
    }

    /// Restores a highlight as exported (offsets trusted only if the quote is there).
    pub(crate) fn import_highlight(&mut self, article_id: i64, h: &Highlight) -> Result<()> {
        let text = self.article(article_id)?.text;
        let at = locate(&text, &h.quote, h.start);
        self.write(|tx| {
            tx.execute(
                "INSERT INTO highlights (article_id, start, end, quote, note, detached, created_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                 WHERE NOT EXISTS (SELECT 1 FROM highlights WHERE article_id = ?1 AND quote = ?4 AND note = ?5)",
                params![
                    article_id,
                    at.unwrap_or(h.start) as i64,
                    at.map_or(h.end, |a| a + h.quote.len()) as i64,
                    h.quote,
                    h.note,
                    at.is_none(),
                    time::now()
                ],
            )?;
            Ok(())
        })
    }

    pub fn remove_highlight(&mut self, id: i64) -> Result<()> {
        let removed =
            self.write(|tx| Ok(tx.execute("DELETE FROM highlights WHERE id = ?1", [id])?))?;
        if removed == 0 {
            return Err(Error::NotFound(format!("no highlight with id {id}")));
        }
        Ok(())
    }

    /// An article's highlights in text order (detached ones last).
    pub fn highlights(&self, article_id: i64) -> Result<Vec<Highlight>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, article_id, start, end, quote, note, detached FROM highlights WHERE article_id = ?1
             ORDER BY detached, start",
        )?;
        let rows = stmt
            .query_map([article_id], highlight_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every highlight, newest first.
    pub fn all_highlights(&self) -> Result<Vec<Highlight>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, article_id, start, end, quote, note, detached FROM highlights ORDER BY created_at DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([], highlight_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn a_selection_across_paragraphs_is_found() {
        let text = "First paragraph ends here.\n\nSecond one starts.";
        assert_eq!(
            super::locate_loosely(text, "ends here. Second one"),
            Some((16, 47 - 9))
        );
    }

    #[test]
    fn the_nearest_occurrence_wins() {
        let text = "chips and chips and chips";
        assert_eq!(locate(text, "chips", 12), Some(10));
        assert_eq!(locate(text, "wafers", 0), None);
    }
}
