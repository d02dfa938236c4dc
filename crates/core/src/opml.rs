//! OPML subscription lists: reading (lenient, as OPML in the wild is messy) and writing.
//! Nested outlines without a feed address are folders; nested folders are joined with " / ".

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::{Error, Result};

/// One subscription read from or written to OPML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub url: String,
    pub title: String,
    pub site_url: Option<String>,
    pub language: Option<String>,
    pub folder: Option<String>,
}

/// Reads every outline that has an `xmlUrl`. External entities are never resolved.
pub fn read(text: &str) -> Result<Vec<Subscription>> {
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut subscriptions = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            Error::Opml(format!(
                "not well-formed at byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(tag) if tag.local_name().as_ref() == "outline" => {
                let outline = Outline::from_tag(&tag)?;
                if let Some(sub) = outline.subscription(&folders) {
                    subscriptions.push(sub);
                    folders.push(None);
                } else {
                    folders.push(Some(outline.title));
                }
            }
            Event::Empty(tag) if tag.local_name().as_ref() == "outline" => {
                if let Some(sub) = Outline::from_tag(&tag)?.subscription(&folders) {
                    subscriptions.push(sub);
                }
            }
            Event::End(tag) if tag.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Start(tag) | Event::Empty(tag) if tag.local_name().as_ref() == "opml" => {
                saw_opml = true
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err(Error::Opml(
            "no <opml> element: this is not an OPML file".to_owned(),
        ));
    }
    Ok(subscriptions)
}

struct Outline {
    title: String,
    xml_url: Option<String>,
    html_url: Option<String>,
    language: Option<String>,
}

impl Outline {
    fn from_tag(tag: &BytesStart<'_>) -> Result<Self> {
        let mut outline = Outline {
            title: String::new(),
            xml_url: None,
            html_url: None,
            language: None,
        };
        let mut text = None;
        for attr in tag.attributes().with_checks(false).flatten() {
            let value = attr
                .normalized_value(quick_xml::XmlVersion::default())
                .map_err(|e| Error::Opml(format!("bad attribute value: {e}")))?
                .trim()
                .to_owned();
            if value.is_empty() {
                continue;
            }
            match attr.key.local_name().as_ref() {
                "title" => outline.title = value,
                "text" => text = Some(value),
                "xmlUrl" | "xmlurl" => outline.xml_url = Some(value),
                "htmlUrl" | "htmlurl" => outline.html_url = Some(value),
                "language" => outline.language = crate::lang::normalise_tag(&value),
                _ => {}
            }
        }
        if outline.title.is_empty() {
            outline.title = text.unwrap_or_default();
        }
        Ok(outline)
    }

    fn subscription(&self, folders: &[Option<String>]) -> Option<Subscription> {
        let url = self.xml_url.clone()?;
        let path: Vec<&str> = folders
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|f| !f.is_empty())
            .collect();
        Some(Subscription {
            title: if self.title.is_empty() {
                url.clone()
            } else {
                self.title.clone()
            },
            url,
            site_url: self.html_url.clone(),
            language: self.language.clone(),
            folder: (!path.is_empty()).then(|| path.join(" / ")),
        })
    }
}

/// Writes subscriptions as OPML 2.0, grouped by folder (folders in first-seen order).
pub fn write(title: &str, subscriptions: &[Subscription]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!(
        "  <head>\n    <title>{}</title>\n  </head>\n  <body>\n",
        escape(title)
    ));
    let mut folders: Vec<Option<&str>> = Vec::new();
    for sub in subscriptions {
        if !folders.contains(&sub.folder.as_deref()) {
            folders.push(sub.folder.as_deref());
        }
    }
    for folder in folders {
        let indent = match folder {
            Some(name) => {
                out.push_str(&format!(
                    "    <outline text=\"{0}\" title=\"{0}\">\n",
                    escape(name)
                ));
                "      "
            }
            None => "    ",
        };
        for sub in subscriptions
            .iter()
            .filter(|s| s.folder.as_deref() == folder)
        {
            out.push_str(indent);
            out.push_str(&outline_line(sub));
        }
        if folder.is_some() {
            out.push_str("    </outline>\n");
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn outline_line(sub: &Subscription) -> String {
    let mut line = format!(
        "<outline type=\"rss\" text=\"{0}\" title=\"{0}\" xmlUrl=\"{1}\"",
        escape(&sub.title),
        escape(&sub.url)
    );
    if let Some(site) = &sub.site_url {
        line.push_str(&format!(" htmlUrl=\"{}\"", escape(site)));
    }
    if let Some(lang) = &sub.language {
        line.push_str(&format!(" language=\"{}\"", escape(lang)));
    }
    line.push_str("/>\n");
    line
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_folders_and_attributes() {
        let subs = vec![
            Subscription {
                url: "https://a.example/feed?x=1&y=2".into(),
                title: "A \"quoted\" <feed>".into(),
                site_url: Some("https://a.example/".into()),
                language: Some("fr".into()),
                folder: Some("Français".into()),
            },
            Subscription {
                url: "https://b.example/rss".into(),
                title: "B".into(),
                site_url: None,
                language: None,
                folder: None,
            },
        ];
        assert_eq!(read(&write("t", &subs)).unwrap(), subs);
    }

    #[test]
    fn nested_folders_are_joined() {
        let text = r#"<opml version="1.0"><body><outline text="Tech"><outline title="Chips">
            <outline text="X" xmlUrl="https://x.example/feed"/></outline></outline></body></opml>"#;
        let subs = read(text).unwrap();
        assert_eq!(subs[0].folder.as_deref(), Some("Tech / Chips"));
        assert_eq!(subs[0].title, "X");
    }

    #[test]
    fn garbage_is_a_readable_error() {
        assert!(read("<opml><body><outline").is_err());
        assert!(read("hello").is_err());
    }
}
