//! Feed documents built in the tests.

/// An RSS 2.0 document with `items` as (guid, title, html body) triples.
pub fn rss<S: AsRef<str>>(title: &str, items: &[(S, S, S)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title>\
         <link>https://example.org/</link><language>en</language>"
    );
    for (guid, title, body) in items {
        let (guid, title, body) = (guid.as_ref(), title.as_ref(), body.as_ref());
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
    rss("Generated", &items)
}

// The hostile suite: documents that attack the reader (active content, entities, bombs)
// or confuse it (legacy charsets, duplicate guids, absurd dates). The tests of each
// property use them one by one; `tests/hostile.rs` serves them all to one fetch.

/// Active content in every form a feed may carry, and last one harmless link whose
/// tracking parameter must go.
pub const XSS_PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">j</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">j2</a>",
    "<a href=\"vbscript:msgbox(1)\">v</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<form action=\"https://evil.example/\"><input name=p></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<base href=\"https://evil.example/\">",
    "<div style=\"background:url(javascript:alert(1))\">s</div>",
    "<style>body{background:url(https://evil.example/t.png)}</style>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<p onclick=\"alert(1)\" onmouseover=\"alert(2)\">click</p>",
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    "<a href=\"https://example.org/ok?utm_source=feed&amp;id=7\">kept</a>",
];

/// One item whose body holds every XSS payload and whose title holds markup and a script.
pub fn xss() -> String {
    rss(
        "Hostile",
        &[(
            "x",
            "<b>Bold</b> &amp; <script>alert(3)</script>title",
            &XSS_PAYLOADS.join("\n"),
        )],
    )
}

/// Relative links in an Atom entry whose `xml:base` is a script URL: resolving them must
/// not make active links. The second entry's web base is fine, and its relative link's
/// tracking parameter must go.
pub const HOSTILE_BASE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
    <feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Bases</title><id>urn:bases</id>\
    <updated>2025-03-04T10:00:00Z</updated><link href=\"javascript:alert(9)//\"/>\
    <entry><id>urn:b1</id><title>Script base</title><updated>2025-03-04T10:00:00Z</updated>\
    <content type=\"html\" xml:base=\"javascript://x/%0Aalert(document.domain)//\">\
    &lt;p&gt;&lt;a href=\"a\"&gt;link&lt;/a&gt; &lt;img src=\"b.png\"&gt;&lt;/p&gt;</content></entry>\
    <entry><id>urn:b2</id><title>Web base</title><updated>2025-03-04T10:00:00Z</updated>\
    <content type=\"html\" xml:base=\"https://example.org/news/\">\
    &lt;p&gt;&lt;a href=\"story.html?utm_medium=rss&amp;amp;page=2\"&gt;story&lt;/a&gt;&lt;/p&gt;</content></entry>\
    </feed>";

/// An external entity that would read /etc/passwd if it were resolved.
pub const XXE: &str = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
    <rss version=\"2.0\"><channel><title>X</title><item><guid>1</guid><title>Entity &xxe; here</title>\
    <description>before &xxe; after</description></item></channel></rss>";

/// "Billion laughs": ten levels of entities, each ten of the previous one (10^9 "lol"s).
pub fn billion_laughs() -> String {
    let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&lol{};", i - 1);
        bomb.push_str(&format!("<!ENTITY lol{i} \"{}\">", prev.repeat(10)));
    }
    bomb.push_str(
        "]><rss version=\"2.0\"><channel><title>B</title><item><guid>1</guid><title>boom &lol9;</title>\
         <description>&lol9;</description></item></channel></rss>",
    );
    bomb
}

/// 256 MiB of zeros, gzipped: under 2 MiB on the wire (serve with `Content-Encoding: gzip`).
pub fn gzip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..256 {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

/// A one-item RSS document that declares `encoding_label` and has `title` as title and text.
pub fn titled(encoding_label: &str, title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"{encoding_label}\"?><rss version=\"2.0\"><channel><title>T</title>\
         <item><guid>1</guid><title>{title}</title><description>{title}</description></item></channel></rss>"
    )
}

/// A feed in a legacy or mislabelled character set, and the title it must decode to.
pub struct CharsetCase {
    pub content_type: &'static str,
    /// The encoding the XML declaration names (not always the one the bytes are in).
    pub label: &'static str,
    pub title: &'static str,
    pub body: Vec<u8>,
}

/// Latin-1 named by HTTP, windows-1252 and Shift_JIS named only by the XML declaration,
/// GB18030 bytes whose declaration wrongly says UTF-8 (HTTP is right), UTF-8 with a BOM.
pub fn charset_cases() -> Vec<CharsetCase> {
    let cases: [(&str, &'static encoding_rs::Encoding, &str, &str); 5] = [
        (
            "application/rss+xml; charset=ISO-8859-1",
            encoding_rs::WINDOWS_1252,
            "iso-8859-1",
            "Société générale: puces à 3 nm",
        ),
        (
            "application/rss+xml",
            encoding_rs::WINDOWS_1252,
            "windows-1252",
            "“Quoted” — Düsseldorf €5",
        ),
        (
            "application/rss+xml",
            encoding_rs::SHIFT_JIS,
            "Shift_JIS",
            "半導体の輸出規制を強化",
        ),
        (
            "application/rss+xml; charset=gb18030",
            encoding_rs::GB18030,
            "utf-8",
            "美国商务部扩大芯片出口管制",
        ),
        (
            "application/rss+xml",
            encoding_rs::UTF_8,
            "utf-8",
            "UTF-8 mit BOM: Größenordnung",
        ),
    ];
    cases
        .into_iter()
        .map(|(content_type, encoding, label, title)| {
            let document = titled(label, title);
            let (bytes, _, unmappable) = encoding.encode(&document);
            assert!(!unmappable, "{title} fits {label}");
            let mut body = bytes.into_owned();
            if encoding == encoding_rs::UTF_8 {
                body.splice(0..0, [0xEF, 0xBB, 0xBF]);
            }
            CharsetCase {
                content_type,
                label,
                title,
                body,
            }
        })
        .collect()
}

/// Two items with the same guid, one identified only by a link with a tracking parameter,
/// one with neither guid nor link: three articles.
pub const DUPLICATE_GUIDS: &str = "<rss version=\"2.0\"><channel><title>D</title>\
    <item><guid>same</guid><title>First copy</title><description>one</description></item>\
    <item><guid>same</guid><title>Second copy</title><description>two</description></item>\
    <item><title>No guid</title><link>https://example.org/story?utm_source=rss&amp;id=3</link><description>three</description></item>\
    <item><title>No guid, no link</title><description>four</description></item>\
    </channel></rss>";

/// Gibberish, year 9999 and French day names as dates, and one good date (4 March 2025,
/// 10:00 GMT).
pub const ABSURD_DATES: &str = "<rss version=\"2.0\"><channel><title>Dates</title>\
    <item><guid>a</guid><title>Gibberish</title><pubDate>sometime last spring</pubDate><description>x</description></item>\
    <item><guid>b</guid><title>Far future</title><pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate><description>y</description></item>\
    <item><guid>c</guid><title>French</title><pubDate>lun., 03 mars 2025 10:00:00 +0100</pubDate><description>z</description></item>\
    <item><guid>d</guid><title>Good</title><pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate><description>w</description></item>\
    </channel></rss>";
