//! Facts about writing systems that several modules need.

/// Chinese, Japanese and Korean characters: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    // Most text is Latin: one comparison settles it.
    if (c as u32) < 0x3040 {
        return false;
    }
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xFF66..=0xFF9D   // half-width Katakana
        | 0x20000..=0x2FFFF // extensions B and later
    )
}
