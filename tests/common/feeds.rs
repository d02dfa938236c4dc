//! Feed documents built in the tests.

/// An RSS 2.0 document with `items` as (guid, title, html body) triples.
pub fn rss(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://example.org/</link><language>en</language>"
    );
    for (guid, title, body) in items {
        out.push_str(&format!(
            "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>\
             <link>https://example.org/{guid}</link><pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate>\
             <description><![CDATA[{body}]]></description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// An RSS feed with `n` generated items.
pub fn rss_with(n: usize) -> String {
    let items: Vec<(String, String, String)> = (0..n)
        .map(|i| {
            (
                format!("item-{i}"),
                format!("Item number {i}"),
                format!("<p>Body of item {i} about chips.</p>"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    rss("Generated", &refs)
}
