//! What the user writes: tags on articles, notes, settings.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::Store;
use crate::{time, Error, Result};

/// A user tag with the number of articles carrying it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TagCount {
    pub name: String,
    pub color: Option<String>,
    pub articles: i64,
}

/// An article's note (Markdown).
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub article_id: i64,
    pub body: String,
    #[serde(serialize_with = "crate::time::serialize_rfc3339")]
    pub updated_at: i64,
}

/// Tags are free text, trimmed, at most 64 characters, unique regardless of case.
fn clean_tag(name: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Error::Invalid("a tag cannot be empty".to_owned()));
    }
    if name.chars().count() > 64 {
        return Err(Error::Invalid("a tag has at most 64 characters".to_owned()));
    }
    Ok(name)
}

impl Store {
    /// Tags an article (creating the tag if needed); tagging twice changes nothing.
    pub fn tag_article(&mut self, article_id: i64, tag: &str) -> Result<()> {
        let name = clean_tag(tag)?;
        self.article(article_id)?;
        self.write(|tx| {
            tx.execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [&name])?;
            tx.execute(
                "INSERT OR IGNORE INTO article_tags (article_id, tag_id, tagged_at)
                 SELECT ?1, id, ?3 FROM tags WHERE name = ?2",
                params![article_id, name, time::now()],
            )?;
            Ok(())
        })
    }

    /// Removes a tag from an article; the tag itself stays for other articles.
    pub fn untag_article(&mut self, article_id: i64, tag: &str) -> Result<()> {
        let name = clean_tag(tag)?;
        self.write(|tx| {
            tx.execute(
                "DELETE FROM article_tags WHERE article_id = ?1 AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
                params![article_id, name],
            )?;
            Ok(())
        })
    }

    /// An article's tags, by name.
    pub fn article_tags(&self, article_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name FROM article_tags a JOIN tags t ON t.id = a.tag_id WHERE a.article_id = ?1 ORDER BY t.name COLLATE NOCASE",
        )?;
        let names = stmt
            .query_map([article_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// Every tag with its article count (tags no article carries any more included).
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name, t.color, count(a.article_id) FROM tags t LEFT JOIN article_tags a ON a.tag_id = t.id
             GROUP BY t.id ORDER BY t.name COLLATE NOCASE",
        )?;
        let tags = stmt
            .query_map([], |r| {
                Ok(TagCount {
                    name: r.get(0)?,
                    color: r.get(1)?,
                    articles: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(tags)
    }

    /// Renames a tag; renaming onto an existing tag merges the two (articles keep one).
    pub fn rename_tag(&mut self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (clean_tag(from)?, clean_tag(to)?);
        self.write(|tx| {
            let from_id: i64 = tx
                .query_row("SELECT id FROM tags WHERE name = ?1", [&from], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::NotFound(format!("no tag {from:?}")))?;
            let to_id: Option<i64> = tx
                .query_row("SELECT id FROM tags WHERE name = ?1", [&to], |r| r.get(0))
                .optional()?;
            match to_id {
                Some(to_id) if to_id != from_id => {
                    tx.execute(
                        "INSERT OR IGNORE INTO article_tags (article_id, tag_id, tagged_at)
                         SELECT article_id, ?2, tagged_at FROM article_tags WHERE tag_id = ?1",
                        params![from_id, to_id],
                    )?;
                    tx.execute("DELETE FROM tags WHERE id = ?1", [from_id])?;
                }
                _ => {
                    tx.execute(
                        "UPDATE tags SET name = ?2 WHERE id = ?1",
                        params![from_id, to],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Sets a tag's colour (`#rrggbb`), or clears it.
    pub fn set_tag_color(&mut self, tag: &str, color: Option<&str>) -> Result<()> {
        let name = clean_tag(tag)?;
        if let Some(c) = color {
            let valid = c.len() == 7
                && c.starts_with('#')
                && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
            if !valid {
                return Err(Error::Invalid(format!(
                    "{c:?} is not a colour like #1f4e79"
                )));
            }
        }
        let changed = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE tags SET color = ?2 WHERE name = ?1",
                params![name, color],
            )?)
        })?;
        if changed == 0 {
            return Err(Error::NotFound(format!("no tag {name:?}")));
        }
        Ok(())
    }

    /// Deletes a tag from every article.
    pub fn delete_tag(&mut self, tag: &str) -> Result<usize> {
        let name = clean_tag(tag)?;
        self.write(|tx| {
            let articles = tx.execute(
                "DELETE FROM article_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?1)",
                [&name],
            )?;
            if tx.execute("DELETE FROM tags WHERE name = ?1", [&name])? == 0 {
                return Err(Error::NotFound(format!("no tag {name:?}")));
            }
            Ok(articles)
        })
    }

    /// Tags every article matching `filter` (its limit ignored); returns how many were
    /// newly tagged.
    pub fn tag_matching(&mut self, filter: &super::ArticleFilter, tag: &str) -> Result<usize> {
        let name = clean_tag(tag)?;
        let ids: Vec<i64> = self
            .articles(&super::ArticleFilter {
                limit: None,
                offset: 0,
                ..filter.clone()
            })?
            .into_iter()
            .map(|a| a.id)
            .collect();
        let now = time::now();
        self.write(|tx| {
            tx.execute("INSERT OR IGNORE INTO tags (name) VALUES (?1)", [&name])?;
            let tag_id: i64 = tx.query_row("SELECT id FROM tags WHERE name = ?1", [&name], |r| r.get(0))?;
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO article_tags (article_id, tag_id, tagged_at) VALUES (?1, ?2, ?3)")?;
            let mut added = 0;
            for id in &ids {
                added += insert.execute(params![id, tag_id, now])?;
            }
            Ok(added)
        })
    }

    /// Saves an article's note; an empty note deletes it.
    pub fn save_note(&mut self, article_id: i64, body: &str) -> Result<()> {
        self.article(article_id)?;
        let now = time::now();
        self.write(|tx| {
            if body.trim().is_empty() {
                tx.execute("DELETE FROM notes WHERE article_id = ?1", [article_id])?;
                return Ok(());
            }
            tx.execute(
                "INSERT INTO notes (article_id, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
                 ON CONFLICT (article_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![article_id, body, now],
            )?;
            Ok(())
        })
    }

    /// An article's note, if it has one.
    pub fn note(&self, article_id: i64) -> Result<Option<Note>> {
        Ok(self
            .conn
            .query_row(
                "SELECT article_id, body, updated_at FROM notes WHERE article_id = ?1",
                [article_id],
                |r| {
                    Ok(Note {
                        article_id: r.get(0)?,
                        body: r.get(1)?,
                        updated_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every note, most recently edited first.
    pub fn notes(&self) -> Result<Vec<Note>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id, body, updated_at FROM notes ORDER BY updated_at DESC",
        )?;
        let notes = stmt
            .query_map([], |r| {
                Ok(Note {
                    article_id: r.get(0)?,
                    body: r.get(1)?,
                    updated_at: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(notes)
    }

    /// A setting's value.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// Whether the database holds no subscription yet (a first start).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM feeds)", [], |r| r.get(0))?)
    }
}
