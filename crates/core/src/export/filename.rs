//! File names for exported notes that are safe on every OS and stable across exports:
//! `YYYY-MM-DD title-slug-xxxxxxxx.md`, where the suffix is a hash of the article's
//! identity, so the same article always lands in the same file.

use sha2::{Digest, Sha256};

/// Longest slug kept from a title, in characters.
const MAX_SLUG: usize = 80;

/// A file name for an article published on `date` (`YYYY-MM-DD`), titled `title`, whose
/// identity is `identity` (feed URL and key).
pub fn article_file_name(date: &str, title: &str, identity: &str) -> String {
    let hash: String = Sha256::digest(identity.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    let slug = slug(title);
    let slug = if slug.is_empty() {
        "article".to_owned()
    } else {
        slug
    };
    let date: String = date
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .take(10)
        .collect();
    format!("{date} {slug}-{hash}.md")
}

/// Letters and digits of any script, lower-cased, words joined by `-`; everything a file
/// system could object to (separators, `..`, reserved characters, controls) is dropped.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
        if out.chars().count() >= MAX_SLUG {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_titles_make_safe_stable_names() {
        let hostile = [
            "../../etc/passwd",
            "CON",
            "a/b\\c:d*e?f\"g<h>i|j",
            "   ",
            "🚀🚀 Chips! 🚀",
            "..",
            &"x".repeat(500),
        ];
        for title in hostile {
            let name = article_file_name("2025-03-04", title, "feed|key");
            assert!(
                !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
                "{name}"
            );
            assert!(!name.contains(".."), "{name}");
            assert!(name.chars().count() < 120, "{name}");
            assert!(name.ends_with(".md"));
            assert_eq!(name, article_file_name("2025-03-04", title, "feed|key"));
        }
        assert_eq!(
            article_file_name("2025-03-04", "美国扩大芯片出口管制", "k")
                .split(' ')
                .nth(1)
                .unwrap()
                .split('-')
                .next(),
            Some("美国扩大芯片出口管制")
        );
        assert_ne!(
            article_file_name("2025-03-04", "Same", "a"),
            article_file_name("2025-03-04", "Same", "b")
        );
    }
}
