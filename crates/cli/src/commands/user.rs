//! `veille tag`, `untag`, `tag-all`, `tags`, `note`, `notes`, `highlight`, `highlights`.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use super::read::filter_from;
use super::Context;
use crate::cli::{FilterArgs, TagsAction};
use crate::output::{self, clip};

pub fn tag(ctx: &mut Context, id: i64, tag: &str) -> Result<()> {
    ctx.store.tag_article(id, tag)?;
    println!("article {id}: {}", ctx.store.article_tags(id)?.join(", "));
    Ok(())
}

pub fn untag(ctx: &mut Context, id: i64, tag: &str) -> Result<()> {
    ctx.store.untag_article(id, tag)?;
    println!("article {id}: {}", ctx.store.article_tags(id)?.join(", "));
    Ok(())
}

pub fn tag_all(ctx: &mut Context, tag: &str, filter: &FilterArgs) -> Result<()> {
    let added = ctx.store.tag_matching(&filter_from(filter)?, tag)?;
    println!("tagged {added} more articles {tag:?}");
    Ok(())
}

pub fn tags(ctx: &mut Context, action: Option<TagsAction>, json: bool) -> Result<()> {
    match action {
        Some(TagsAction::Rename { from, to }) => {
            ctx.store.rename_tag(&from, &to)?;
            println!("renamed {from:?} to {to:?}");
        }
        Some(TagsAction::Color { tag, color }) => {
            let color = (color != "none").then_some(color.as_str());
            ctx.store.set_tag_color(&tag, color)?;
            println!("{tag:?}: colour {}", color.unwrap_or("none"));
        }
        Some(TagsAction::Delete { tag }) => {
            let articles = ctx.store.delete_tag(&tag)?;
            println!("deleted {tag:?} from {articles} articles");
        }
        None if json => return output::json(&ctx.store.tags()?),
        None => {
            for tag in ctx.store.tags()? {
                println!(
                    "{:>6}  {}{}",
                    tag.articles,
                    tag.name,
                    tag.color.map(|c| format!("  {c}")).unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

pub fn note(ctx: &mut Context, id: i64, text: Option<String>, file: Option<PathBuf>) -> Result<()> {
    let body = match (text, file) {
        (Some(text), _) => text,
        (None, Some(path)) => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        (None, None) => edit(&ctx.store.note(id)?.map(|n| n.body).unwrap_or_default())?,
    };
    ctx.store.save_note(id, &body)?;
    println!(
        "article {id}: note saved ({} characters)",
        body.chars().count()
    );
    Ok(())
}

/// Opens $VISUAL or $EDITOR on a temporary file holding `current`; returns what was saved.
fn edit(current: &str) -> Result<String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .context("no text given: pass TEXT or --file, or set $EDITOR")?;
    let file = tempfile::Builder::new().suffix(".md").tempfile()?;
    std::fs::write(file.path(), current)?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("veille")
        .arg(file.path())
        .status()
        .with_context(|| format!("cannot start the editor {editor:?}"))?;
    anyhow::ensure!(
        status.success(),
        "the editor exited with {status}; the note was not changed"
    );
    Ok(std::fs::read_to_string(file.path())?)
}

pub fn notes(ctx: &Context, json: bool) -> Result<()> {
    let notes = ctx.store.notes()?;
    if json {
        return output::json(&notes);
    }
    for note in &notes {
        let title = ctx
            .store
            .article(note.article_id)
            .map(|a| a.summary.title)
            .unwrap_or_default();
        println!(
            "{:>6}  {}  {}\n        {}",
            note.article_id,
            output::date(note.updated_at),
            clip(&title, 60),
            clip(&note.body.replace('\n', " "), 100)
        );
    }
    Ok(())
}

pub fn highlight(ctx: &mut Context, id: i64, quote: &str, note: &str) -> Result<()> {
    let h = ctx.store.add_highlight(id, quote, note, None)?;
    println!(
        "highlight {} on article {id}: bytes {}..{}",
        h.id, h.start, h.end
    );
    Ok(())
}

pub fn highlights(ctx: &Context, json: bool) -> Result<()> {
    let list = ctx.store.all_highlights()?;
    if json {
        return output::json(&list);
    }
    for h in &list {
        let detached = if h.detached { " (detached)" } else { "" };
        println!(
            "{:>6}  article {}{detached}: “{}” {}",
            h.id,
            h.article_id,
            clip(&h.quote, 80),
            h.note
        );
    }
    Ok(())
}
