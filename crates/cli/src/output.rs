//! Printing for people and for programs.

use serde::Serialize;
use veille_core::time;

/// An error and its causes on one line, without a backtrace.
pub fn error_chain(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// Pretty JSON on standard output.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A date for a table column.
pub fn date(ts: i64) -> String {
    time::rfc3339(ts).chars().take(10).collect()
}

/// A string cut to `max` characters for a table column.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
