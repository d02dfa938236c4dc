//! Lexicon matching: many terms, one pass (Aho-Corasick), with the term syntax of the files
//! in `assets/analysis/`:
//! - terms match case-insensitively, except acronyms written in capitals (`US`, `BIS`,
//!   `EE.UU.`), which match as written;
//! - Latin-script terms match whole words; a trailing `*` lets the word go on
//!   (`semiconduct*`), a leading `*` lets it start earlier (German compounds: `*chip*`);
//! - CJK terms match anywhere (those scripts do not separate words);
//! - multi-word terms match across any single whitespace character.
//!
//! Matching runs on a case-folded copy of the text that keeps every byte offset, so hits
//! point into the original text.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::{Error, Result};

/// One term of a lexicon, with what it stands for.
#[derive(Debug, Clone)]
struct Term<L> {
    label: L,
    open_start: bool,
    open_end: bool,
}

/// Labels whose hits compete: a hit inside a longer hit of the same group is dropped
/// ("Korea" inside "North Korea"), while groups (say themes and countries) never hide each
/// other. Several groups share one lexicon so that a text is scanned once for all of them.
pub trait Group {
    fn group(&self) -> u8;
}

/// A compiled lexicon.
pub struct Lexicon<L> {
    folded: Option<AhoCorasick>,
    folded_terms: Vec<Term<L>>,
    exact: Option<AhoCorasick>,
    exact_terms: Vec<Term<L>>,
}

/// A term found in a text: byte range in the original text and the term's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a, L> {
    pub start: usize,
    pub end: usize,
    pub label: &'a L,
}

impl<L: Clone + Group> Lexicon<L> {
    /// Builds a lexicon from (label, term) pairs in the term syntax above.
    pub fn new<'t>(entries: impl IntoIterator<Item = (L, &'t str)>) -> Result<Self> {
        let mut folded_patterns = Vec::new();
        let mut folded_terms = Vec::new();
        let mut exact_patterns = Vec::new();
        let mut exact_terms = Vec::new();
        for (label, raw) in entries {
            let raw = raw.trim();
            let open_start = raw.starts_with('*');
            let open_end = raw.ends_with('*') && raw.len() > 1;
            let body = raw.trim_matches('*').trim();
            if body.is_empty() {
                continue;
            }
            let term = Term {
                label,
                open_start,
                open_end,
            };
            if is_acronym(body) {
                exact_patterns.push(body.to_owned());
                exact_terms.push(term);
            } else {
                folded_patterns.push(fold(body));
                folded_terms.push(term);
            }
        }
        Ok(Lexicon {
            folded: build(&folded_patterns)?,
            folded_terms,
            exact: build(&exact_patterns)?,
            exact_terms,
        })
    }

    /// Every term in `text` (`folded` is `fold(text)`) by position, longest first where two
    /// overlap: a hit inside a longer hit of its group is dropped.
    pub fn find<'a>(&'a self, text: &str, folded: &str) -> Vec<Hit<'a, L>> {
        let mut hits = Vec::new();
        collect(&self.folded, &self.folded_terms, folded, &mut hits);
        collect(&self.exact, &self.exact_terms, text, &mut hits);
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        // Per group, the kept hit reaching furthest (the first to reach it has the
        // smallest start, hits being sorted by start).
        let mut furthest: Vec<(u8, usize, usize)> = Vec::new();
        hits.retain(|hit| {
            let group = hit.label.group();
            match furthest.iter_mut().find(|(g, _, _)| *g == group) {
                Some((_, end, start)) => {
                    let inside_longer = *end > hit.end || (*end == hit.end && *start < hit.start);
                    if !inside_longer && hit.end > *end {
                        (*end, *start) = (hit.end, hit.start);
                    }
                    !inside_longer
                }
                None => {
                    furthest.push((group, hit.end, hit.start));
                    true
                }
            }
        });
        hits
    }
}

fn build(patterns: &[String]) -> Result<Option<AhoCorasick>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .map(Some)
        .map_err(|e| Error::Invalid(format!("lexicon: {e}")))
}

fn collect<'a, L>(
    automaton: &Option<AhoCorasick>,
    terms: &'a [Term<L>],
    haystack: &str,
    hits: &mut Vec<Hit<'a, L>>,
) {
    let Some(automaton) = automaton else { return };
    for m in automaton.find_overlapping_iter(haystack) {
        let term = &terms[m.pattern().as_usize()];
        if !term.open_start && joins_word(haystack, m.start(), Side::Before) {
            continue;
        }
        if !term.open_end && joins_word(haystack, m.end(), Side::After) {
            continue;
        }
        // An open end stands for the rest of the word: the hit (and its evidence) covers it.
        let start = if term.open_start {
            word_start(haystack, m.start())
        } else {
            m.start()
        };
        let end = if term.open_end {
            word_end(haystack, m.end())
        } else {
            m.end()
        };
        hits.push(Hit {
            start,
            end,
            label: &term.label,
        });
    }
}

/// Where the word containing byte `at` begins (letters and digits of spaced scripts).
fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(at, |(i, _)| i)
}

/// Where the word containing byte `at` ends.
fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(text.len(), |(i, _)| at + i)
}

enum Side {
    Before,
    After,
}

/// Whether the match edge at `at` sits inside a word: both the matched character at the
/// edge and its neighbour are letters or digits of a script that separates words.
fn joins_word(text: &str, at: usize, side: Side) -> bool {
    let (inner, outer) = match side {
        Side::Before => (text[at..].chars().next(), text[..at].chars().next_back()),
        Side::After => (text[..at].chars().next_back(), text[at..].chars().next()),
    };
    matches!((inner, outer), (Some(i), Some(o)) if is_word_char(i) && is_word_char(o))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !crate::script::is_cjk(c)
}

/// An acronym (two or more letters, all capitals) matches only as written.
fn is_acronym(term: &str) -> bool {
    let letters: Vec<char> = term.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

/// Lower-cases `text` without moving any byte: a character whose lower case has another
/// length is kept as it is, and ASCII whitespace becomes a plain space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(if c.is_ascii_whitespace() {
                ' '
            } else {
                c.to_ascii_lowercase()
            });
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// Parses a tab-separated lexicon file: `label<TAB>term` lines, `#` comments.
pub fn parse_tsv(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut fields = l.split('\t');
            Some((fields.next()?.trim(), fields.next()?.trim()))
        })
        .filter(|(label, term)| !label.is_empty() && !term.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Group for &str {
        fn group(&self) -> u8 {
            0
        }
    }

    fn labels(lexicon: &Lexicon<&'static str>, text: &str) -> Vec<(String, &'static str)> {
        lexicon
            .find(text, &fold(text))
            .into_iter()
            .map(|h| (text[h.start..h.end].to_owned(), *h.label))
            .collect()
    }

    #[test]
    fn words_prefixes_compounds_and_acronyms() {
        let lexicon = Lexicon::new([
            ("chip", "semiconduct*"),
            ("chip", "*chip*"),
            ("US", "US"),
            ("US", "united states"),
            ("KR", "korea"),
            ("KP", "north korea"),
            ("CN", "中国"),
            ("pay", "cap"),
        ])
        .unwrap();
        assert_eq!(
            labels(
                &lexicon,
                "US Semiconductors and KI-Chips, not us; North  Korea and Korea; 中国AI; capital"
            ),
            [
                ("US".to_owned(), "US"),
                ("Semiconductors".to_owned(), "chip"),
                ("Chips".to_owned(), "chip"),
                ("Korea".to_owned(), "KR"),
                ("Korea".to_owned(), "KR"),
                ("中国".to_owned(), "CN"),
            ]
        );
        // Above, "North  Korea" has two spaces: multi-word terms take one whitespace character.
        assert_eq!(labels(&lexicon, "North Korea")[0].1, "KP");
        assert_eq!(labels(&lexicon, "North Korea").len(), 1);
    }

    #[test]
    fn folding_keeps_offsets() {
        let text = "İstanbul ÉTATS-UNIS\tß";
        assert_eq!(fold(text).len(), text.len());
        assert!(fold(text).contains("états-unis "));
    }
}
