//! Stored analysis: claims, their tags with evidence, the user's decisions on those tags,
//! and the per-article topic counts used by filters.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::{Store, WrittenArticle};
use crate::analysis::{Analysis, TagKind};
use crate::{time, Error, Result};

/// A user's verdict on a claim's tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Confirmed,
    Rejected,
    Added,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Rejected => "rejected",
            Verdict::Added => "added",
        }
    }

    fn parse(text: &str) -> Option<Verdict> {
        match text {
            "confirmed" => Some(Verdict::Confirmed),
            "rejected" => Some(Verdict::Rejected),
            "added" => Some(Verdict::Added),
            _ => None,
        }
    }
}

/// A tag of a stored claim as the user sees it: found by analysis (with its evidence),
/// added by the user, and possibly confirmed or rejected.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    pub kind: TagKind,
    pub id: String,
    /// The words that made the tag (empty for a tag the user added).
    pub evidence: Vec<String>,
    /// `auto` when analysis found it, `user` when the user added it.
    pub provenance: &'static str,
    pub verdict: Option<Verdict>,
}

/// A stored claim with its tags.
#[derive(Debug, Clone, Serialize)]
pub struct StoredClaim {
    pub id: i64,
    pub article_id: i64,
    pub sentence_index: i64,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub score: f64,
    pub reasons: serde_json::Value,
    pub tags: Vec<TagView>,
}

impl StoredClaim {
    /// Tag ids of one kind that stand (not rejected).
    pub fn ids(&self, kind: TagKind) -> Vec<&str> {
        self.tags
            .iter()
            .filter(|t| t.kind == kind && t.verdict != Some(Verdict::Rejected))
            .map(|t| t.id.as_str())
            .collect()
    }
}

/// One of an article's topics: a theme or country and how many of its claims carry it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Topic {
    pub kind: TagKind,
    pub id: String,
    pub claims: i64,
}

/// A decision as stored, for export.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct DecisionRecord {
    pub claim_text: String,
    pub kind: String,
    pub value: String,
    pub verdict: String,
    #[serde(with = "crate::time::rfc3339_serde")]
    pub decided_at: i64,
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct TagDecision {
    pub claim_id: i64,
    pub kind: TagKind,
    pub value: String,
    pub verdict: Verdict,
}

/// An analysis in the form the store keeps it: each claim with its reasons and tags as
/// JSON, and the article's topic counts. Building it is CPU work (serialising, counting),
/// so ingesting builds it on the parse workers and the single writer only binds values.
#[derive(Debug, Clone)]
pub struct AnalysisRows {
    sentences: usize,
    claims: Vec<ClaimRow>,
    /// Each tag with the number of distinct claim texts carrying it, before any decision.
    topics: Vec<(TagKind, String, i64)>,
}

#[derive(Debug, Clone)]
struct ClaimRow {
    sentence_index: i64,
    start: i64,
    end: i64,
    text: String,
    score: f64,
    reasons: String,
    tags: String,
}

/// A tag as kept in `claims.tags`.
#[derive(Serialize, serde::Deserialize)]
struct StoredTag {
    kind: TagKind,
    id: String,
    evidence: Vec<String>,
}

impl AnalysisRows {
    pub fn new(analysis: Analysis) -> AnalysisRows {
        let topics = topic_counts(&analysis);
        let claims = analysis.claims.into_iter().map(claim_row).collect();
        AnalysisRows {
            sentences: analysis.sentences,
            claims,
            topics,
        }
    }
}

fn claim_row(claim: crate::analysis::Claim) -> ClaimRow {
    let assessment = claim.assessment;
    let mut tags: Vec<StoredTag> = tagged(&assessment.themes, &assessment.countries)
        .map(|(kind, id)| StoredTag {
            kind,
            id: id.to_owned(),
            evidence: assessment
                .evidence
                .iter()
                .filter(|e| e.kind == kind && e.id == id)
                .map(|e| e.matched.clone())
                .collect(),
        })
        .collect();
    tags.sort_by(|a, b| (a.kind, &a.id).cmp(&(b.kind, &b.id)));
    ClaimRow {
        sentence_index: claim.sentence_index as i64,
        start: claim.start as i64,
        end: claim.end as i64,
        text: claim.text,
        score: assessment.score,
        reasons: serde_json::to_string(&assessment.reasons).unwrap_or_else(|_| "[]".to_owned()),
        tags: serde_json::to_string(&tags).unwrap_or_else(|_| "[]".to_owned()),
    }
}

/// A claim's tags: its themes, then its countries.
fn tagged<'a>(
    themes: &'a [String],
    countries: &'a [String],
) -> impl Iterator<Item = (TagKind, &'a str)> {
    let themes = themes.iter().map(|t| (TagKind::Theme, t.as_str()));
    themes.chain(countries.iter().map(|c| (TagKind::Country, c.as_str())))
}

/// Each tag of the analysis with the number of distinct claim texts carrying it, as
/// [`rebuild_topics`] counts them when no decision applies.
fn topic_counts(analysis: &Analysis) -> Vec<(TagKind, String, i64)> {
    let mut topics: FxHashMap<(TagKind, &str), FxHashSet<&str>> = FxHashMap::default();
    for claim in &analysis.claims {
        let assessment = &claim.assessment;
        for tag in tagged(&assessment.themes, &assessment.countries) {
            topics.entry(tag).or_default().insert(claim.text.as_str());
        }
    }
    let mut counts: Vec<_> = topics
        .into_iter()
        .map(|((kind, id), texts)| (kind, id.to_owned(), texts.len() as i64))
        .collect();
    counts.sort();
    counts
}

/// Replaces the analysis of an article (inside the caller's transaction) and its topics.
/// The user's decisions are untouched and still apply.
pub(crate) fn write_analysis(
    tx: &Transaction<'_>,
    article: WrittenArticle,
    rows: &AnalysisRows,
    fingerprint: &str,
) -> Result<()> {
    let article_id = article.id;
    if !article.inserted {
        tx.prepare_cached("DELETE FROM claims WHERE article_id = ?1")?
            .execute([article_id])?;
    }
    let mut insert_claim = tx.prepare_cached(
        "INSERT INTO claims (article_id, sentence_index, start, end, text, score, reasons, tags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for claim in &rows.claims {
        insert_claim.execute(params![
            article_id,
            claim.sentence_index,
            claim.start,
            claim.end,
            claim.text,
            claim.score,
            claim.reasons,
            claim.tags
        ])?;
    }
    tx.prepare_cached(
        "INSERT INTO analyses (article_id, version, fingerprint, sentences, analyzed_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint,
           sentences = excluded.sentences, analyzed_at = excluded.analyzed_at",
    )?
    .execute(params![article_id, crate::analysis::ANALYSIS_VERSION, fingerprint, rows.sentences as i64, time::now()])?;
    write_topics(tx, article, rows)
}

/// An article's topics after a new analysis. Without any decision of the user (every new
/// article) they are the analysis' own counts, much cheaper than the query that weighs
/// decisions in [`rebuild_topics`].
fn write_topics(tx: &Transaction<'_>, article: WrittenArticle, rows: &AnalysisRows) -> Result<()> {
    let article_id = article.id;
    if !article.inserted {
        let decided: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM tag_decisions WHERE article_id = ?1)")?
            .query_row([article_id], |r| r.get(0))?;
        if decided {
            return rebuild_topics(tx, article_id);
        }
        // Deleting from a table with a second index goes through a temporary table: a new
        // article, which has no topics yet, skips it.
        tx.prepare_cached("DELETE FROM article_topics WHERE article_id = ?1")?
            .execute([article_id])?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO article_topics (article_id, kind, value, claims) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (kind, value, claims) in &rows.topics {
        insert.execute(params![article_id, kind.as_str(), value, claims])?;
    }
    Ok(())
}

/// Recomputes an article's topics from its claims' tags and the user's decisions: rejected
/// tags drop out, added ones count.
fn rebuild_topics(tx: &Transaction<'_>, article_id: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM article_topics WHERE article_id = ?1")?
        .execute([article_id])?;
    tx.prepare_cached(
        "INSERT INTO article_topics (article_id, kind, value, claims)
         SELECT ?1, kind, value, count(*) FROM (
             SELECT text, kind, value FROM (
                 SELECT c.text AS text, t.value ->> 'kind' AS kind, t.value ->> 'id' AS value
                   FROM claims c, json_each(c.tags) t WHERE c.article_id = ?1
             ) found
              WHERE NOT EXISTS (SELECT 1 FROM tag_decisions d WHERE d.article_id = ?1 AND d.claim_text = found.text
                                AND d.kind = found.kind AND d.value = found.value AND d.verdict = 'rejected')
             UNION
             SELECT claim_text, kind, value FROM tag_decisions WHERE article_id = ?1 AND verdict = 'added'
         ) GROUP BY kind, value",
    )?
    .execute([article_id])?;
    Ok(())
}

impl Store {
    /// The claims of an article, in reading order, with their tags and the user's verdicts.
    pub fn claims(&self, article_id: i64) -> Result<Vec<StoredClaim>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, article_id, sentence_index, start, end, text, score, reasons, tags FROM claims
             WHERE article_id = ?1 ORDER BY sentence_index",
        )?;
        let mut claims = stmt
            .query_map([article_id], |r| {
                let reasons: String = r.get(7)?;
                let tags: String = r.get(8)?;
                let claim = StoredClaim {
                    id: r.get(0)?,
                    article_id: r.get(1)?,
                    sentence_index: r.get(2)?,
                    start: r.get(3)?,
                    end: r.get(4)?,
                    text: r.get(5)?,
                    score: r.get(6)?,
                    reasons: serde_json::from_str(&reasons).unwrap_or(serde_json::Value::Null),
                    tags: Vec::new(),
                };
                Ok((claim, tags))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (claim, tags) in &mut claims {
            claim.tags = self.claim_tags(claim, tags)?;
        }
        Ok(claims.into_iter().map(|(claim, _)| claim).collect())
    }

    /// A claim's tags as found (`stored`, the JSON of `claims.tags`) with the user's
    /// verdicts and additions.
    fn claim_tags(&self, claim: &StoredClaim, stored: &str) -> Result<Vec<TagView>> {
        let found: Vec<StoredTag> = serde_json::from_str(stored).unwrap_or_default();
        let mut tags: Vec<TagView> = found
            .into_iter()
            .map(|tag| TagView {
                kind: tag.kind,
                id: tag.id,
                evidence: tag.evidence,
                provenance: "auto",
                verdict: None,
            })
            .collect();
        let mut decided = self.conn.prepare_cached(
            "SELECT kind, value, verdict FROM tag_decisions WHERE article_id = ?1 AND claim_text = ?2 ORDER BY id",
        )?;
        let rows = decided.query_map(params![claim.article_id, claim.text], three_strings)?;
        for row in rows {
            let (kind, id, verdict) = row?;
            let kind = parse_kind(&kind);
            let verdict = Verdict::parse(&verdict);
            match tags.iter_mut().find(|t| t.kind == kind && t.id == id) {
                Some(tag) => tag.verdict = verdict,
                None => tags.push(TagView {
                    kind,
                    id,
                    evidence: Vec::new(),
                    provenance: "user",
                    verdict,
                }),
            }
        }
        Ok(tags)
    }

    /// Records the user's decision on a claim's tag and updates the article's topics.
    /// Confirming or rejecting a tag the analysis did not find is refused; adding one it
    /// did find confirms it.
    pub fn decide(&mut self, decision: &TagDecision) -> Result<()> {
        let value = decision.value.trim();
        if value.is_empty() {
            return Err(Error::Invalid("a tag needs a value".to_owned()));
        }
        let (article_id, text): (i64, String) = self
            .conn
            .query_row(
                "SELECT article_id, text FROM claims WHERE id = ?1",
                [decision.claim_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no claim with id {}", decision.claim_id)))?;
        let found: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM claims c, json_each(c.tags) t
                             WHERE c.id = ?1 AND t.value ->> 'kind' = ?2 AND t.value ->> 'id' = ?3)",
            params![decision.claim_id, decision.kind.as_str(), value],
            |r| r.get(0),
        )?;
        let verdict = match (decision.verdict, found) {
            (Verdict::Added, true) => Verdict::Confirmed,
            (Verdict::Confirmed | Verdict::Rejected, false) => {
                let was_added: bool = self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM tag_decisions WHERE article_id = ?1 AND claim_text = ?2 AND kind = ?3 AND value = ?4)",
                    params![article_id, text, decision.kind.as_str(), value],
                    |r| r.get(0),
                )?;
                if !was_added {
                    return Err(Error::Invalid(format!(
                        "claim {} has no {} tag {value}; add it instead",
                        decision.claim_id,
                        decision.kind.as_str()
                    )));
                }
                decision.verdict
            }
            (verdict, _) => verdict,
        };
        self.write(|tx| {
            tx.execute(
                "INSERT INTO tag_decisions (article_id, claim_text, kind, value, verdict, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (article_id, claim_text, kind, value) DO UPDATE SET verdict = excluded.verdict, decided_at = excluded.decided_at",
                params![article_id, text, decision.kind.as_str(), value, verdict.as_str(), time::now()],
            )?;
            rebuild_topics(tx, article_id)
        })
    }

    /// Ids of the articles whose analysis is missing or older than `fingerprint` (all
    /// articles when `all`).
    pub fn articles_to_analyze(&self, fingerprint: &str, all: bool) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id FROM articles a LEFT JOIN analyses n ON n.article_id = a.id
             WHERE ?3 OR n.article_id IS NULL OR n.version <> ?1 OR n.fingerprint <> ?2 ORDER BY a.id",
        )?;
        let ids = stmt
            .query_map(
                params![crate::analysis::ANALYSIS_VERSION, fingerprint, all],
                |r| r.get(0),
            )?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(ids)
    }

    /// Re-runs `analyze` over the given articles, a few hundred per transaction.
    pub fn reanalyze(
        &mut self,
        ids: &[i64],
        fingerprint: &str,
        analyze: impl Fn(&str, &str) -> Analysis,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        let mut done = 0;
        for batch in ids.chunks(256) {
            self.write(|tx| {
                let mut read = tx.prepare_cached(
                    "SELECT text, coalesce(lang, 'en') FROM articles WHERE id = ?1",
                )?;
                for id in batch {
                    let Some((text, lang)) = read
                        .query_row([id], |r| {
                            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                        })
                        .optional()?
                    else {
                        continue;
                    };
                    let rows = AnalysisRows::new(analyze(&text, &lang));
                    let article = WrittenArticle {
                        id: *id,
                        inserted: false,
                    };
                    write_analysis(tx, article, &rows, fingerprint)?;
                }
                Ok(())
            })?;
            done += batch.len();
            progress(done);
        }
        Ok(done)
    }

    /// Topic counts over all articles: (value, number of articles), most first.
    pub fn topic_counts(&self, kind: TagKind) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT value, count(*) FROM article_topics WHERE kind = ?1 GROUP BY value ORDER BY count(*) DESC, value",
        )?;
        let rows = stmt
            .query_map([kind.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// An article's topics, most claims first.
    pub fn article_topics(&self, article_id: i64) -> Result<Vec<Topic>> {
        Ok(self
            .topics_of(&[article_id])?
            .remove(&article_id)
            .unwrap_or_default())
    }
}

impl Store {
    /// An article's tag decisions, in a stable order.
    pub fn decisions(&self, article_id: i64) -> Result<Vec<DecisionRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT claim_text, kind, value, verdict, decided_at FROM tag_decisions WHERE article_id = ?1
             ORDER BY claim_text, kind, value",
        )?;
        let rows = stmt
            .query_map([article_id], |r| {
                Ok(DecisionRecord {
                    claim_text: r.get(0)?,
                    kind: r.get(1)?,
                    value: r.get(2)?,
                    verdict: r.get(3)?,
                    decided_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Restores decisions as exported (imports), then rebuilds the article's topics.
    pub(crate) fn import_decisions(
        &mut self,
        article_id: i64,
        decisions: &[DecisionRecord],
    ) -> Result<()> {
        self.write(|tx| {
            for d in decisions {
                if !matches!(d.kind.as_str(), "theme" | "country") || Verdict::parse(&d.verdict).is_none() {
                    return Err(Error::Invalid(format!("unknown decision {} {}", d.kind, d.verdict)));
                }
                tx.execute(
                    "INSERT INTO tag_decisions (article_id, claim_text, kind, value, verdict, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (article_id, claim_text, kind, value) DO UPDATE SET verdict = excluded.verdict, decided_at = excluded.decided_at",
                    params![article_id, d.claim_text, d.kind, d.value, d.verdict, d.decided_at],
                )?;
            }
            rebuild_topics(tx, article_id)
        })
    }

    /// The article a claim belongs to.
    pub fn claims_article(&self, claim_id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT article_id FROM claims WHERE id = ?1",
                [claim_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The topics of many articles at once (one query for a page of list rows), by
    /// article id, each article's most claims first.
    pub fn topics_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<Topic>>> {
        let ids_json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned());
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id, kind, value, claims FROM article_topics
             WHERE article_id IN (SELECT value FROM json_each(?1))
             ORDER BY article_id, kind DESC, claims DESC, value",
        )?;
        let rows = stmt.query_map([ids_json], |r| {
            let topic = Topic {
                kind: parse_kind(&r.get::<_, String>(1)?),
                id: r.get(2)?,
                claims: r.get(3)?,
            };
            Ok((r.get::<_, i64>(0)?, topic))
        })?;
        let mut out: HashMap<i64, Vec<Topic>> = HashMap::new();
        for row in rows {
            let (article, topic) = row?;
            out.entry(article).or_default().push(topic);
        }
        Ok(out)
    }
}

fn three_strings(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn parse_kind(text: &str) -> TagKind {
    if text == "country" {
        TagKind::Country
    } else {
        TagKind::Theme
    }
}
