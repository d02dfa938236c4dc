//! Article identity. Items without a guid, or with links that change with every fetch
//! (tracking parameters), make naive readers duplicate articles; the key here is stable.

use sha2::{Digest, Sha256};

/// The key that identifies an item within its feed: its guid when it has one, else its
/// link (tracking parameters already stripped), else a hash of its title and date.
pub fn item_key(
    guid: &str,
    url: Option<&str>,
    title: &str,
    published: Option<i64>,
    content_hash: &str,
) -> String {
    let guid = guid.trim();
    if !guid.is_empty() {
        return format!("id:{guid}");
    }
    if let Some(url) = url {
        return format!("link:{url}");
    }
    let seed = match published {
        Some(ts) => format!("{title}\u{0}{ts}"),
        None if !title.is_empty() => title.to_owned(),
        None => content_hash.to_owned(),
    };
    format!("hash:{}", hex(&Sha256::digest(seed.as_bytes())))
}

/// A hash of what the feed sent for an item.
pub fn content_hash(title: &str, url: Option<&str>, body: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [title, url.unwrap_or_default(), body] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
