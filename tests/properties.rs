//! Property tests on the parts that take outside input: whatever arrives, parsing never
//! panics, sanitised HTML carries no active content, sentence spans are valid, OPML
//! reading fails cleanly, and export file names stay safe.

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;
use veille_core::analysis::segment::{sentence_bounds, split, Rules};
use veille_core::export::filename::article_file_name;
use veille_core::{feed, opml, sanitize};

/// HTML-ish text built from pieces attackers use.
fn hostile_html() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">t</a>",
        "<iframe src=//evil>",
        "<svg><script>alert(1)</script></svg>",
        "<style>@import 'x'</style>",
        "<div style=\"x:expression(alert(1))\">",
        "<object data=x>",
        "<form action=x>",
        "<meta http-equiv=refresh content=0>",
        "<base href=//evil/>",
        "<p>text</p>",
        "&lt;script&gt;",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "\"",
        "'",
        "<",
        ">",
        "&",
        "&#x6A;avascript:",
        "<a href=\"&#106;avascript:x\">e</a>",
        "<math><mi xlink:href=\"javascript:alert(1)\">m</mi></math>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<template><script>alert(1)</script></template>",
        "<body onload=alert(1)>",
        "<input autofocus onfocus=alert(1)>",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(str::to_owned), "[a-zA-Z0-9 ]{0,12}"],
        0..24,
    )
    .prop_map(|v| v.concat())
}

/// The tags of serialised HTML with their attributes. The sanitiser's output is well
/// formed: a literal `<` always opens a tag and attribute values are double-quoted.
/// Text made of what sentence boundaries turn on: terminators of several scripts, closing
/// and opening marks, spaces of every kind, paragraph separators, letters of both cases,
/// digits, CJK, combining and format characters.
fn sentence_soup() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = vec![
        "a",
        "b",
        "Z",
        "É",
        "é",
        "ß",
        "1",
        "2",
        "3",
        ".",
        ".",
        "?",
        "!",
        "。",
        "！",
        "？",
        "…",
        "‼",
        "．",
        "·",
        ";",
        ":",
        ",",
        "-",
        " ",
        " ",
        " ",
        "\u{a0}",
        "\u{2009}",
        "\n",
        "\r\n",
        "\u{85}",
        "\u{2028}",
        "\u{2029}",
        "\t",
        "\"",
        "'",
        "«",
        "»",
        "“",
        "”",
        "‘",
        "’",
        "(",
        ")",
        "「",
        "」",
        "『",
        "』",
        "（",
        "）",
        "[",
        "]",
        "\u{301}",
        "\u{200d}",
        "\u{ad}",
        "半",
        "導",
        "体",
        "芯",
        "ア",
        "ー",
        "U.S.",
        "Dr.",
        "z. B.",
        "3.5",
        "Mr. Smith",
        "é.",
        "A. ",
        ". ",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..120).prop_map(|p| p.concat())
}

fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let close = rest.find('>').unwrap_or(rest.len());
        let inside = rest[..close].trim_start_matches('/');
        let name: String = inside
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = &inside[name.len()..];
        while let Some(eq) = attrs.find("=\"") {
            let key = attrs[..eq].trim().to_lowercase();
            let after = &attrs[eq + 2..];
            let end = after.find('"').unwrap_or(after.len());
            attributes.push((key, after[..end].to_lowercase()));
            attrs = &after[(end + 1).min(after.len())..];
        }
        out.push((name, attributes));
        rest = &rest[close.min(rest.len())..];
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn sanitised_html_has_no_active_content(html in hostile_html()) {
        let base = veille_core::Url::parse("https://example.org/a/").ok();
        let clean = sanitize::sanitize_html(&html, base.as_ref());
        for (tag, attributes) in tags(&clean) {
            prop_assert!(!["script", "iframe", "object", "embed", "form", "input", "meta", "base", "style", "svg", "math",
                           "template", "noscript", "body", "link"].contains(&tag.as_str()), "<{tag}> in {clean}");
            for (name, value) in attributes {
                prop_assert!(!name.starts_with("on") && name != "style" && name != "srcdoc", "{name}= in {clean}");
                if matches!(name.as_str(), "href" | "src" | "cite" | "action" | "poster") {
                    prop_assert!(value.starts_with("https://") || value.starts_with("http://") || value.starts_with("mailto:"),
                                 "{name}=\"{value}\" in {clean}");
                }
            }
        }
    }

    #[test]
    fn parsing_arbitrary_documents_never_panics(body in ".{0,400}", prefix in prop::sample::select(vec![
        "", "<?xml version=\"1.0\"?>", "<rss version=\"2.0\"><channel>", "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
        "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[", "<rdf:RDF>",
    ])) {
        let _ = feed::parse(&format!("{prefix}{body}"), "https://example.org/feed", 1_700_000_000);
    }

    #[test]
    fn sentence_spans_are_ordered_on_boundaries_and_cover_the_text(text in "[a-zA-Zàéü0-9 .,;:!?«»\"“”()\\n。！？「」半導体芯片]{0,300}") {
        let rules = Rules::new(vec!["U.S.".into(), "z. B.".into(), "M.".into()], vec!["märz".into()]);
        let spans = split(&text, &rules);
        let mut at = 0;
        for span in &spans {
            prop_assert!(span.start >= at && span.start < span.end && span.end <= text.len());
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            prop_assert!(text[at..span.start].trim().is_empty(), "text lost between spans");
            at = span.end;
        }
        prop_assert!(text[at..].trim().is_empty(), "text lost at the end");
    }

    #[test]
    fn windowed_sentence_bounds_are_the_bounds_of_uax29(text in sentence_soup()) {
        let reference: Vec<usize> = text
            .split_sentence_bound_indices()
            .map(|(i, _)| i)
            .filter(|i| *i > 0)
            .collect();
        prop_assert_eq!(sentence_bounds(&text), reference);
    }

    #[test]
    fn opml_reading_never_panics(body in ".{0,300}") {
        let _ = opml::read(&body);
        let _ = opml::read(&format!("<opml><body><outline text=\"{body}\" xmlUrl=\"{body}\"/></body></opml>"));
    }

    #[test]
    fn export_file_names_are_safe(title in ".{0,300}", date in "[0-9-]{0,12}") {
        let name = article_file_name(&date, &title, "feed|key");
        prop_assert!(!name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|', '\0']));
        prop_assert!(!name.contains(".."));
        prop_assert!(name.ends_with(".md") && name.len() < 255);
        prop_assert!(!name.chars().any(char::is_control));
    }
}

#[test]
fn the_tag_reader_sees_what_it_must_reject() {
    let found =
        tags(r#"<p>x</p><img src="javascript:x" onerror="y"><a href="https://e.org/">l</a>"#);
    let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["p", "p", "img", "a", "a"]);
    assert_eq!(
        found[2].1,
        [
            ("src".to_owned(), "javascript:x".to_owned()),
            ("onerror".to_owned(), "y".to_owned())
        ]
    );
    assert_eq!(found[3].1[0].1, "https://e.org/");
}
