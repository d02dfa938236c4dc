//! `veille articles`, `veille show`, `veille search`.

use anyhow::Result;
use veille_core::store::{ArticleFilter, ArticleSummary, StoredClaim};

use super::Context;
use crate::cli::{ArticlesArgs, FilterArgs};
use crate::output::{self, clip, date};

pub fn articles(ctx: &Context, args: &ArticlesArgs) -> Result<()> {
    let filter = ArticleFilter {
        limit: Some(args.limit),
        ..filter_from(&args.filter)?
    };
    let list = ctx.store.articles(&filter)?;
    if args.json {
        return output::json(&list);
    }
    for article in &list {
        println!("{}", summary_line(article));
    }
    Ok(())
}

/// The core's filter for the command-line filters (dates checked here).
pub fn filter_from(args: &FilterArgs) -> Result<ArticleFilter> {
    let date = |value: &Option<String>, flag: &str| -> Result<Option<i64>> {
        match value {
            Some(text) => veille_core::time::parse_date(text)
                .map(Some)
                .ok_or_else(|| anyhow::anyhow!("--{flag} {text:?} is not a date (YYYY-MM-DD)")),
            None => Ok(None),
        }
    };
    Ok(ArticleFilter {
        lang: args.lang.clone(),
        feed_id: args.feed,
        folder: args.folder.clone(),
        theme: args.theme.clone(),
        country: args.country.clone(),
        tag: args.tag.clone(),
        since: date(&args.since, "since")?,
        until: date(&args.until, "until")?,
        unread_only: args.unread,
        starred_only: args.starred,
        limit: None,
        offset: 0,
    })
}

fn summary_line(a: &ArticleSummary) -> String {
    format!(
        "{:>6}  {}  {:<2}  {:<24}  {}",
        a.id,
        date(a.published),
        a.lang.as_deref().unwrap_or("?"),
        clip(&a.source, 24),
        a.title
    )
}

/// `veille show --json`: the article with its claims and topics.
#[derive(serde::Serialize)]
struct ShowJson<'a> {
    #[serde(flatten)]
    article: &'a veille_core::store::Article,
    claims: &'a [StoredClaim],
    topics: &'a [veille_core::store::Topic],
}

pub fn show(ctx: &Context, id: i64, json: bool) -> Result<()> {
    let article = ctx.store.article(id)?;
    let claims = ctx.store.claims(id)?;
    let topics = ctx.store.article_topics(id)?;
    if json {
        return output::json(&ShowJson {
            article: &article,
            claims: &claims,
            topics: &topics,
        });
    }
    let a = &article.summary;
    println!("{}\n", a.title);
    println!("source:    {}", a.source);
    println!("published: {}", veille_core::time::rfc3339(a.published));
    println!("language:  {}", a.lang.as_deref().unwrap_or("?"));
    if let Some(author) = &article.author {
        println!("author:    {author}");
    }
    if let Some(url) = &a.url {
        println!("link:      {url}");
    }
    if !topics.is_empty() {
        let list: Vec<String> = topics
            .iter()
            .map(|t| format!("{} ({})", t.id, t.claims))
            .collect();
        println!("topics:    {}", list.join(", "));
    }
    println!("\n{}", article.text);
    println!("\n{} claims:", claims.len());
    for claim in &claims {
        println!("  #{} [{:.2}] {}", claim.id, claim.score, claim.text);
        for tag in &claim.tags {
            let verdict = tag
                .verdict
                .map(|v| format!(" ({})", v.as_str()))
                .unwrap_or_default();
            let evidence = if tag.evidence.is_empty() {
                String::new()
            } else {
                format!(" ← {}", tag.evidence.join(", "))
            };
            println!("      {} {}{verdict}{evidence}", tag.kind.as_str(), tag.id);
        }
    }
    Ok(())
}

pub fn search(ctx: &Context, query: &str, limit: usize, json: bool) -> Result<()> {
    let hits = ctx.store.search(query, limit)?;
    if json {
        return output::json(&hits);
    }
    for hit in &hits {
        let title = marked(&hit.article.title, &hit.title_marks);
        println!(
            "{}",
            summary_line(&ArticleSummary {
                title,
                ..hit.article.clone()
            })
        );
        println!("        {}", marked(&hit.snippet.text, &hit.snippet.marks));
    }
    if hits.is_empty() {
        println!("no article matches {query:?}");
    }
    Ok(())
}

/// The snippet with its matches in [brackets].
fn marked(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 2);
    let mut at = 0;
    for &(start, end) in marks {
        out.push_str(&text[at..start]);
        out.push('[');
        out.push_str(&text[start..end]);
        out.push(']');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}
