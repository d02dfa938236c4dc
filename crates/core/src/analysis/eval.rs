//! Measuring the analyser on labelled articles (`tests/fixtures/eval/`): claim detection
//! precision/recall/F1, theme and country micro-F1, sentence segmentation, per language,
//! and how well translations of the same article agree.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::segment;
use super::Analyzer;
use crate::script::is_cjk;
use crate::{Error, Result};

/// A labelled article.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledArticle {
    pub id: String,
    pub lang: String,
    #[serde(default)]
    pub pair: Option<String>,
    #[serde(default)]
    pub title: String,
    pub sentences: Vec<LabelledSentence>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LabelledSentence {
    pub text: String,
    pub claim: bool,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
}

/// True/false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    /// Counts for a predicted set against a gold set.
    fn sets(predicted: &[String], gold: &[String]) -> Counts {
        let tp = predicted.iter().filter(|p| gold.contains(p)).count();
        Counts {
            tp,
            fp: predicted.len() - tp,
            fn_: gold.iter().filter(|g| !predicted.contains(g)).count(),
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The figures for one language (or all).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub articles: usize,
    pub sentences: usize,
    pub gold_claims: usize,
    pub claims: Counts,
    pub themes: Counts,
    pub countries: Counts,
    pub boundaries: Counts,
}

impl Scores {
    fn add(&mut self, other: &Scores) {
        self.articles += other.articles;
        self.sentences += other.sentences;
        self.gold_claims += other.gold_claims;
        self.claims.add(other.claims);
        self.themes.add(other.themes);
        self.countries.add(other.countries);
        self.boundaries.add(other.boundaries);
    }
}

/// How translations of one article agree with the original, sentence by sentence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PairAgreement {
    pub pairs: usize,
    pub sentences: usize,
    pub same_claim_decision: usize,
    pub same_themes: usize,
    pub same_countries: usize,
}

/// One sentence the analyser got wrong, for whoever tunes the lexicons.
#[derive(Debug, Clone, Serialize)]
pub struct Mistake {
    pub article: String,
    pub text: String,
    pub gold_claim: bool,
    pub score: f64,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub per_language: BTreeMap<String, Scores>,
    pub overall: Scores,
    pub agreement: PairAgreement,
    pub mistakes: Vec<Mistake>,
}

/// Loads every `*.json` labelled article under `dir` (recursively), sorted by path.
pub fn load(dir: &Path) -> Result<Vec<LabelledArticle>> {
    let mut paths = Vec::new();
    collect_json(dir, &mut paths)?;
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| Error::file(path, e))?;
            serde_json::from_str(&text)
                .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
        })
        .collect()
}

fn collect_json(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::file(dir, e))? {
        let path = entry.map_err(|e| Error::file(dir, e))?.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Evaluates `analyzer` on `articles`. Tags are scored on the sentences labelled as claims,
/// so tagging quality is measured apart from claim detection.
pub fn evaluate(analyzer: &Analyzer, articles: &[LabelledArticle]) -> Report {
    let mut report = Report::default();
    let mut decisions: BTreeMap<&str, Vec<(String, Vec<Decision>)>> = BTreeMap::new();
    for article in articles {
        let (scores, article_decisions) = evaluate_article(analyzer, article, &mut report.mistakes);
        report
            .per_language
            .entry(article.lang.clone())
            .or_default()
            .add(&scores);
        report.overall.add(&scores);
        if let Some(pair) = &article.pair {
            decisions
                .entry(pair)
                .or_default()
                .push((article.lang.clone(), article_decisions));
        }
    }
    report.agreement = agreement(&decisions);
    report
}

/// What the analyser decided for one sentence.
#[derive(Debug, Clone, PartialEq)]
struct Decision {
    claim: bool,
    themes: Vec<String>,
    countries: Vec<String>,
}

fn evaluate_article(
    analyzer: &Analyzer,
    article: &LabelledArticle,
    mistakes: &mut Vec<Mistake>,
) -> (Scores, Vec<Decision>) {
    let mut scores = Scores {
        articles: 1,
        boundaries: boundaries(analyzer, article),
        ..Scores::default()
    };
    let mut decisions = Vec::new();
    for sentence in &article.sentences {
        let assessment = analyzer.assess(&sentence.text, &article.lang);
        let predicted = assessment.score >= analyzer.threshold();
        scores.sentences += 1;
        scores.gold_claims += usize::from(sentence.claim);
        match (predicted, sentence.claim) {
            (true, true) => scores.claims.tp += 1,
            (true, false) => scores.claims.fp += 1,
            (false, true) => scores.claims.fn_ += 1,
            (false, false) => {}
        }
        let mut missing = Vec::new();
        let mut extra = Vec::new();
        if sentence.claim {
            scores
                .themes
                .add(Counts::sets(&assessment.themes, &sentence.themes));
            scores
                .countries
                .add(Counts::sets(&assessment.countries, &sentence.countries));
            let gold = sentence.themes.iter().chain(&sentence.countries);
            let found: Vec<&String> = assessment
                .themes
                .iter()
                .chain(&assessment.countries)
                .collect();
            missing = gold
                .clone()
                .filter(|g| !found.contains(g))
                .cloned()
                .collect();
            extra = found
                .iter()
                .filter(|f| !sentence.themes.contains(f) && !sentence.countries.contains(f))
                .map(|f| f.to_string())
                .collect();
        }
        if predicted != sentence.claim || !missing.is_empty() || !extra.is_empty() {
            mistakes.push(Mistake {
                article: article.id.clone(),
                text: sentence.text.clone(),
                gold_claim: sentence.claim,
                score: assessment.score,
                missing,
                extra,
            });
        }
        let mut themes = assessment.themes;
        let mut countries = assessment.countries;
        themes.sort();
        countries.sort();
        decisions.push(Decision {
            claim: predicted,
            themes,
            countries,
        });
    }
    (scores, decisions)
}

/// Splits the article's joined text and compares sentence spans with the labelled ones.
fn boundaries(analyzer: &Analyzer, article: &LabelledArticle) -> Counts {
    let mut text = String::new();
    let mut gold = Vec::new();
    for sentence in &article.sentences {
        let joins_without_space = sentence.text.chars().next().is_some_and(is_cjk)
            || text
                .chars()
                .next_back()
                .is_some_and(|c| is_cjk(c) || "。！？」』）".contains(c));
        let glued = matches!(article.lang.as_str(), "zh" | "ja") && joins_without_space;
        if !text.is_empty() && !glued {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(&sentence.text);
        gold.push((start, text.len()));
    }
    let predicted: Vec<(usize, usize)> = segment::split(&text, &analyzer.pack(&article.lang).rules)
        .into_iter()
        .map(|s| (s.start, s.end))
        .collect();
    let tp = predicted.iter().filter(|p| gold.contains(p)).count();
    Counts {
        tp,
        fp: predicted.len() - tp,
        fn_: gold.len() - tp,
    }
}

fn agreement(groups: &BTreeMap<&str, Vec<(String, Vec<Decision>)>>) -> PairAgreement {
    let mut result = PairAgreement::default();
    for versions in groups.values() {
        let Some((_, original)) = versions
            .iter()
            .find(|(lang, _)| lang == "en")
            .or(versions.first())
        else {
            continue;
        };
        for (_, translation) in versions.iter().filter(|(_, d)| !std::ptr::eq(d, original)) {
            result.pairs += 1;
            for (a, b) in original.iter().zip(translation) {
                result.sentences += 1;
                result.same_claim_decision += usize::from(a.claim == b.claim);
                result.same_themes += usize::from(a.themes == b.themes);
                result.same_countries += usize::from(a.countries == b.countries);
            }
        }
    }
    result
}
