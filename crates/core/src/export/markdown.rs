//! One Markdown file per article, for Obsidian and any notes app: YAML front matter, then
//! the notes, the highlights as quotes, and the claims with their tags and verdicts.

use std::path::Path;

use super::{filename, ExportedArticle};
use crate::{files, time, Error, Result};

/// A YAML value: JSON strings and arrays are valid YAML, and escape everything.
fn yaml<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_owned())
}

/// The Markdown of one article.
pub fn article_markdown(a: &ExportedArticle) -> String {
    let mut out = String::from("---\n");
    for (key, value) in [
        ("title", yaml(&a.title)),
        ("source", yaml(&a.source)),
        ("url", yaml(&a.url)),
        ("published", yaml(&time::rfc3339(a.published))),
        ("lang", yaml(&a.lang)),
        ("tags", yaml(&a.tags)),
        ("themes", yaml(&a.themes)),
        ("countries", yaml(&a.countries)),
    ] {
        out.push_str(&format!("{key}: {value}\n"));
    }
    out.push_str("---\n\n");
    out.push_str(&format!("# {}\n\n", one_line(&a.title)));
    let date = time::rfc3339(a.published);
    match &a.url {
        Some(url) => out.push_str(&format!(
            "[{}]({url}) · {}\n",
            one_line(&a.source),
            &date[..date.len().min(10)]
        )),
        None => out.push_str(&format!(
            "{} · {}\n",
            one_line(&a.source),
            &date[..date.len().min(10)]
        )),
    }
    if let Some(note) = a.note.as_deref().filter(|n| !n.trim().is_empty()) {
        out.push_str(&format!("\n## Notes\n\n{}\n", note.trim_end()));
    }
    if !a.highlights.is_empty() {
        out.push_str("\n## Highlights\n");
        for h in &a.highlights {
            out.push('\n');
            for line in h.quote.lines() {
                out.push_str(&format!("> {line}\n"));
            }
            if h.detached {
                out.push_str(">\n> (no longer in the article's text)\n");
            }
            if !h.note.trim().is_empty() {
                out.push_str(&format!("\n{}\n", h.note.trim()));
            }
        }
    }
    if !a.claims.is_empty() {
        out.push_str("\n## Claims\n\n");
        for c in &a.claims {
            let mut tags: Vec<String> = c.themes.iter().map(|t| format!("#{t}")).collect();
            tags.extend(c.countries.iter().cloned());
            let verdicts = if c.verdicts.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.verdicts.join(", "))
            };
            out.push_str(&format!(
                "- {} — {}{verdicts} · score {:.2}\n",
                one_line(&c.text),
                tags.join(" "),
                c.score
            ));
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes one file per article into `dir` (created if needed), each atomically; returns
/// the file names.
pub fn write_markdown_folder(dir: &Path, articles: &[ExportedArticle]) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
    let mut names = Vec::with_capacity(articles.len());
    for a in articles {
        let identity = format!("{}|{}", a.feed_url.as_deref().unwrap_or(&a.source), a.key);
        let name = filename::article_file_name(&time::rfc3339(a.published), &a.title, &identity);
        files::write_atomic(&dir.join(&name), article_markdown(a).as_bytes())?;
        names.push(name);
    }
    Ok(names)
}
