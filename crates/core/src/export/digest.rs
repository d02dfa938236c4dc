//! The briefing digest: one Markdown report of a selection, grouped by theme, then
//! country, with counts and the strongest claims, each with its source link: what an
//! analyst sends on Monday morning.

use std::collections::BTreeMap;

use super::{ExportedArticle, ExportedClaim};
use crate::time;

/// A claim with the article it comes from.
type Cited<'a> = (&'a ExportedClaim, &'a ExportedArticle);

/// Claims shown per theme and country.
const STRONGEST: usize = 3;

/// The digest of `articles`; `title` heads it, `filters` says what was selected.
pub fn digest(articles: &[ExportedArticle], title: &str, filters: &str) -> String {
    let claims: usize = articles.iter().map(|a| a.claims.len()).sum();
    let (first, last) = date_range(articles);
    let mut out = format!(
        "# {title}\n\n{} articles, {claims} claims, {first} – {last}.",
        articles.len()
    );
    if !filters.is_empty() {
        out.push_str(&format!(" Selection: {filters}."));
    }
    out.push('\n');
    // theme → country → claims (with their article)
    let mut groups: BTreeMap<&str, BTreeMap<&str, Vec<Cited<'_>>>> = BTreeMap::new();
    for a in articles {
        for c in &a.claims {
            for theme in &c.themes {
                let countries: Vec<&str> = if c.countries.is_empty() {
                    vec!["—"]
                } else {
                    c.countries.iter().map(String::as_str).collect()
                };
                for country in countries {
                    groups
                        .entry(theme)
                        .or_default()
                        .entry(country)
                        .or_default()
                        .push((c, a));
                }
            }
        }
    }
    let mut themes: Vec<_> = groups.into_iter().collect();
    themes.sort_by_key(|(theme, by_country)| {
        (
            std::cmp::Reverse(article_count(by_country.values().flatten())),
            *theme,
        )
    });
    for (theme, by_country) in themes {
        let n = article_count(by_country.values().flatten());
        out.push_str(&format!("\n## {theme} ({n} articles)\n"));
        let mut countries: Vec<_> = by_country.into_iter().collect();
        countries.sort_by_key(|(country, list)| {
            (std::cmp::Reverse(article_count(list.iter())), *country)
        });
        for (country, mut list) in countries {
            out.push_str(&format!(
                "\n### {country} ({} articles)\n\n",
                article_count(list.iter())
            ));
            list.sort_by(|x, y| {
                y.0.score
                    .total_cmp(&x.0.score)
                    .then_with(|| y.1.published.cmp(&x.1.published))
            });
            list.dedup_by(|x, y| x.0.text == y.0.text);
            for (claim, article) in list.iter().take(STRONGEST) {
                let date = time::rfc3339(article.published);
                let source = match &article.url {
                    Some(url) => format!("[{}]({url})", article.source),
                    None => article.source.clone(),
                };
                out.push_str(&format!(
                    "- {} — {source}, {}\n",
                    claim.text.split_whitespace().collect::<Vec<_>>().join(" "),
                    &date[..date.len().min(10)]
                ));
            }
        }
    }
    out
}

fn article_count<'a>(
    claims: impl Iterator<Item = &'a (&'a ExportedClaim, &'a ExportedArticle)>,
) -> usize {
    let mut keys: Vec<&str> = claims.map(|(_, a)| a.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

fn date_range(articles: &[ExportedArticle]) -> (String, String) {
    let day = |ts: i64| time::rfc3339(ts).chars().take(10).collect::<String>();
    let first = articles.iter().map(|a| a.published).min();
    let last = articles.iter().map(|a| a.published).max();
    match (first, last) {
        (Some(f), Some(l)) => (day(f), day(l)),
        _ => ("—".to_owned(), "—".to_owned()),
    }
}
