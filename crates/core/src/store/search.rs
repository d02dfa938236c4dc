//! Full-text search over titles and text in every language.
//!
//! SQLite's unicode61 tokenizer does not segment Chinese or Japanese: a whole run of
//! ideographs would be one token. Veille indexes each CJK character as its own token and
//! turns a CJK query into a phrase of characters, so 芯片 or 半導体 are found wherever those
//! characters stand together, with bm25 ranking, in the same index as Latin text
//! (diacritics folded: "reseau" finds "réseau").

use std::borrow::Cow;

use rusqlite::params;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::articles::{summary_row, ArticleSummary, SUMMARY_COLUMNS};
use super::Store;
use crate::script::is_cjk;
use crate::{Error, Result};

/// A search result: the article, its rank and where the query matched.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    #[serde(flatten)]
    pub article: ArticleSummary,
    /// bm25 rank: lower is better.
    pub rank: f64,
    pub title_marks: Vec<(usize, usize)>,
    pub snippet: Snippet,
}

/// A short excerpt of the text around the first match, with the byte ranges of every match
/// in it, so any front end can highlight them without parsing markup.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub marks: Vec<(usize, usize)>,
}

/// Text as it goes into the index: CJK characters separated by spaces. Text without any
/// (most of it) is indexed as it is, uncopied.
pub(crate) fn fts_text(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(is_cjk) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() * 2);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if is_cjk(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The words of a user's query (quotes and FTS syntax removed).
fn query_terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(|t| {
            t.chars()
                .filter(|c| !matches!(c, '"' | '*' | '(' | ')' | ':' | '^' | '{' | '}'))
                .collect::<String>()
        })
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .collect()
}

/// The FTS5 query for the terms: each a phrase, all required.
fn match_expression(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| {
            format!(
                "\"{}\"",
                fts_text(t).split_whitespace().collect::<Vec<_>>().join(" ")
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many of the newest matches a search ranks (bm25) to pick the best from.
const RANKED_MATCHES: usize = 2_000;

impl Store {
    /// Articles matching every word of `query`, best first (then newest) among the newest
    /// [`RANKED_MATCHES`] matches (newest by arrival in the database), so at most that many.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let terms = query_terms(query);
        if terms.is_empty() {
            return Err(Error::Invalid("the search query has no words".to_owned()));
        }
        // Ranking reads every match's positions; a popular word matches tens of thousands
        // of articles, so only the newest RANKED_MATCHES matches are ranked.
        let sql = format!(
            "WITH hits AS (
               SELECT rowid AS id, bm25(articles_fts, 4.0, 1.0) AS rank FROM articles_fts
               WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT {RANKED_MATCHES})
             SELECT {SUMMARY_COLUMNS}, a.text, hits.rank
             FROM hits JOIN articles a ON a.id = hits.id
             LEFT JOIN feeds f ON f.id = a.feed_id LEFT JOIN article_state s ON s.article_id = a.id
             ORDER BY hits.rank, a.id DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![match_expression(&terms), limit as i64], |row| {
                let text: String = row.get(10)?;
                Ok((summary_row(row)?, text, row.get::<_, f64>(11)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.map_err(e))?;
        Ok(rows
            .into_iter()
            .map(|(article, text, rank)| SearchHit {
                title_marks: find_all(&article.title, &terms),
                snippet: snippet(&text, &terms),
                article,
                rank,
            })
            .collect())
    }
}

/// Folds a character the way the index does: lower case, diacritics removed.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let base = c.nfd().next().unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

/// Byte ranges of every occurrence of any term in `text`, folded, not overlapping.
fn find_all(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let folded_terms: Vec<Vec<char>> = terms
        .iter()
        .map(|t| t.chars().map(fold).collect())
        .collect();
    let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold(c))).collect();
    let mut marks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let hit = folded_terms
            .iter()
            .filter(|t| !t.is_empty() && i + t.len() <= chars.len())
            .find(|t| t.iter().zip(&chars[i..]).all(|(a, (_, b))| a == b));
        match hit {
            Some(term) => {
                let end = chars
                    .get(i + term.len())
                    .map_or(text.len(), |(pos, _)| *pos);
                marks.push((chars[i].0, end));
                i += term.len();
            }
            None => i += 1,
        }
    }
    marks
}

/// About 200 characters of `text` around the first match.
fn snippet(text: &str, terms: &[String]) -> Snippet {
    const BEFORE: usize = 30;
    const LENGTH: usize = 200;
    let marks = find_all(text, terms);
    let first = marks.first().map_or(0, |m| m.0);
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(BEFORE.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(LENGTH)
        .map_or(text.len(), |(i, _)| start + i);
    let mut out = String::new();
    let prefix = if start > 0 { "…" } else { "" };
    out.push_str(prefix);
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    let shift = prefix.len();
    let marks = marks
        .into_iter()
        .filter(|&(s, e)| s >= start && e <= end)
        .map(|(s, e)| (s - start + shift, e - start + shift))
        .collect();
    Snippet {
        text: out.replace('\n', " "),
        marks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_queries_become_character_phrases() {
        assert_eq!(
            match_expression(&query_terms("芯片 export")),
            "\"芯 片\" \"export\""
        );
        assert_eq!(
            match_expression(&query_terms("\"H20芯片\"")),
            "\"H20 芯 片\""
        );
    }

    #[test]
    fn matches_fold_case_and_accents() {
        let text = "Le Réseau européen et le RESEAU chinois";
        let marks = find_all(text, &["reseau".to_owned()]);
        let found: Vec<&str> = marks.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["Réseau", "RESEAU"]);
    }

    #[test]
    fn snippet_marks_point_into_the_snippet() {
        let text = format!("{} 半导体出口管制 {}", "x".repeat(300), "y".repeat(300));
        let s = snippet(&text, &["出口".to_owned()]);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(&s.text[s.marks[0].0..s.marks[0].1], "出口");
    }
}
