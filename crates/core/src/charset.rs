//! Decodes a fetched document to UTF-8 exactly once.
//!
//! The order follows what feed readers learned the hard way: a byte-order mark wins, then
//! the HTTP `charset`, then the XML declaration, then a sniff (UTF-8 if it is valid, else
//! Windows-1252, the de-facto meaning of "Latin-1" on the web). The XML declaration of the
//! decoded text is rewritten to say UTF-8, so the XML parser does not decode a second time
//! (which is how "MÃ¼ssten" happens).

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// The document as UTF-8 text, and the encoding it was decoded from.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    let (encoding, body) = detect(bytes, content_type);
    let (text, _) = encoding.decode_without_bom_handling(body);
    (declare_utf8(text.into_owned()), encoding)
}

fn detect<'a>(bytes: &'a [u8], content_type: Option<&str>) -> (&'static Encoding, &'a [u8]) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, &bytes[bom_len..]);
    }
    if let Some(encoding) = content_type.and_then(http_charset) {
        return (encoding, bytes);
    }
    if let Some(encoding) = xml_declared(bytes) {
        return (encoding, bytes);
    }
    if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, bytes)
    } else {
        (WINDOWS_1252, bytes)
    }
}

/// The `charset` parameter of a Content-Type header, if it names a known encoding.
fn http_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        Encoding::for_label(value.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

/// The XML declaration at the start of a document, as the byte range of its encoding value.
fn declaration_encoding_span(head: &[u8]) -> Option<(usize, usize)> {
    let head = &head[..head.len().min(512)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = &head[..end];
    let at = decl.windows(8).position(|w| w == b"encoding")? + 8;
    let rest = &decl[at..];
    let eq = rest.iter().position(|&b| b == b'=')?;
    let after_eq = at + eq + 1;
    let quote_off = decl[after_eq..]
        .iter()
        .position(|&b| b == b'"' || b == b'\'')?;
    let start = after_eq + quote_off + 1;
    let quote = decl[start - 1];
    let len = decl[start..].iter().position(|&b| b == quote)?;
    Some((start, start + len))
}

fn xml_declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let (start, end) = declaration_encoding_span(bytes)?;
    let encoding = Encoding::for_label(&bytes[start..end])?;
    // A declaration that claims UTF-16 on bytes without a BOM cannot be right: the
    // declaration itself was readable as ASCII.
    (encoding.is_ascii_compatible()).then_some(encoding)
}

/// Rewrites the XML declaration's encoding to UTF-8 (the text is UTF-8 now).
fn declare_utf8(mut text: String) -> String {
    if let Some((start, end)) = declaration_encoding_span(text.as_bytes()) {
        text.replace_range(start..end, "UTF-8");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prolog_names_the_encoding_and_is_rewritten() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><t>半導体</t>");
        let (text, enc) = decode(&bytes, None);
        assert_eq!(enc, encoding_rs::SHIFT_JIS);
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>半導体</t>"
        );
    }

    #[test]
    fn bom_beats_http_and_prolog() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<?xml version='1.0' encoding='iso-8859-1'?><t>é</t>".as_bytes());
        let (text, enc) = decode(&bytes, Some("text/xml; charset=gb18030"));
        assert_eq!(enc, UTF_8);
        assert!(text.ends_with("<t>é</t>"));
    }

    #[test]
    fn http_charset_beats_prolog() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("<?xml version=\"1.0\" encoding=\"utf-8\"?><t>芯片</t>");
        let (text, enc) = decode(&bytes, Some("application/rss+xml; charset=\"GB18030\""));
        assert_eq!(enc, encoding_rs::GB18030);
        assert!(text.contains("芯片"));
    }

    #[test]
    fn invalid_utf8_without_declaration_falls_back_to_windows_1252() {
        let (text, enc) = decode(b"<t>caf\xe9 \x93quoted\x94</t>", None);
        assert_eq!(enc, WINDOWS_1252);
        assert_eq!(text, "<t>café \u{201c}quoted\u{201d}</t>");
    }
}
