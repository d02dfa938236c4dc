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

/// Parses an RFC 3339 date (or a plain `YYYY-MM-DD`, as midnight UTC) to Unix seconds.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.timestamp());
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// Unix seconds as RFC 3339 in serde (exports must round-trip).
pub mod rfc3339_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ts: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        super::serialize_rfc3339(ts, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_date(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}
