//! A CSV of claims, one row per claim, that spreadsheet programs open correctly: UTF-8
//! with a byte-order mark (Excel needs it to read UTF-8), every field quoted as needed.

use super::ExportedArticle;
use crate::{time, Error, Result};

const HEADER: [&str; 11] = [
    "article",
    "source",
    "published",
    "lang",
    "title",
    "url",
    "claim",
    "themes",
    "countries",
    "score",
    "verdicts",
];

/// The claims of `articles` as CSV bytes.
pub fn claims_csv(articles: &[ExportedArticle]) -> Result<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        let fail = |e: csv::Error| Error::Invalid(format!("CSV: {e}"));
        writer.write_record(HEADER).map_err(fail)?;
        for a in articles {
            let published = time::rfc3339(a.published);
            for c in &a.claims {
                writer
                    .write_record([
                        a.key.as_str(),
                        a.source.as_str(),
                        published.as_str(),
                        a.lang.as_deref().unwrap_or(""),
                        a.title.as_str(),
                        a.url.as_deref().unwrap_or(""),
                        c.text.as_str(),
                        &c.themes.join("; "),
                        &c.countries.join("; "),
                        &format!("{:.3}", c.score),
                        &c.verdicts.join("; "),
                    ])
                    .map_err(fail)?;
            }
        }
        writer.flush()?;
    }
    Ok(out)
}
