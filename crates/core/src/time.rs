//! Time helpers: the store keeps times as Unix seconds (UTC).

use chrono::{DateTime, TimeZone, Utc};

/// Now, in Unix seconds.
pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// Unix seconds as an RFC 3339 string for display and JSON.
pub fn rfc3339(ts: i64) -> String {
    match Utc.timestamp_opt(ts, 0).single() {
        Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => String::new(),
    }
}

/// Accepts a date only when it is plausible for a news item: not before 1990 and not more
/// than two days ahead of now (feeds in the wild carry year 9999 and clocks set to 1970).
pub fn plausible(dt: DateTime<Utc>, now: i64) -> Option<i64> {
    let ts = dt.timestamp();
    let earliest = 631_152_000; // 1990-01-01
    (earliest..=now + 2 * 86_400).contains(&ts).then_some(ts)
}

/// Serialises Unix seconds as RFC 3339, for JSON output.
pub fn serialize_rfc3339<S: serde::Serializer>(ts: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&rfc3339(*ts))
}
