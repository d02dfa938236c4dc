//! Claim analysis: split an article into sentences, score each as a checkable claim, and
//! tag claims with themes and countries, with the evidence for every tag. All language
//! knowledge comes from data files in `assets/analysis/`; this code holds none.

pub mod eval;
pub mod lexicon;
pub mod resources;
pub mod score;
pub mod segment;

use std::collections::HashMap;

use serde::Serialize;

use crate::assets::Assets;
use crate::{Error, Result};
use lexicon::{fold, Hit};
use resources::{CountryLabel, LanguagePack, Meaning, LANGUAGES};
use score::{Feature, Reason, Scoring};

/// Bumped whenever analysis output can change for the same text (code, not data: data
/// changes are picked up by `veille reanalyze`).
pub const ANALYSIS_VERSION: i64 = 1;

/// A tag's evidence: which words in the sentence made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub kind: TagKind,
    pub id: String,
    #[serde(rename = "match")]
    pub matched: String,
}

/// Ordered as shown and stored: themes before countries.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Theme,
    Country,
}

impl TagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Theme => "theme",
            TagKind::Country => "country",
        }
    }
}

/// What the analyser says about one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub score: f64,
    pub reasons: Vec<Reason>,
    pub themes: Vec<String>,
    pub countries: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// A claim found in a text.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    pub sentence_index: usize,
    /// Byte range of the sentence in the analysed text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(flatten)]
    pub assessment: Assessment,
}

/// The analysis of one text.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub lang: String,
    pub sentences: usize,
    pub claims: Vec<Claim>,
}

/// The loaded lexicons of every language, ready to analyse.
pub struct Analyzer {
    english: LanguagePack,
    others: HashMap<&'static str, LanguagePack>,
    scoring: Scoring,
    themes: Vec<(String, String)>,
    fingerprint: String,
}

impl Analyzer {
    /// Loads every language's data from `assets`.
    pub fn load(assets: &Assets) -> Result<Analyzer> {
        let themes = resources::theme_ids(assets)?;
        let english = resources::load_pack(assets, "en", &themes)?;
        let mut others = HashMap::new();
        for lang in LANGUAGES.into_iter().filter(|l| *l != "en") {
            others.insert(lang, resources::load_pack(assets, lang, &themes)?);
        }
        let scoring_text = assets.read_text("analysis/scoring.toml")?;
        let scoring: Scoring = toml::from_str(&scoring_text)
            .map_err(|e| Error::Invalid(format!("analysis/scoring.toml: {e}")))?;
        Ok(Analyzer {
            english,
            others,
            scoring,
            themes,
            fingerprint: resources::fingerprint(assets)?,
        })
    }

    /// The fixed theme ids with their meanings.
    pub fn themes(&self) -> &[(String, String)] {
        &self.themes
    }

    /// A hash of the data files the analysis was built from: stored with each analysis so
    /// `veille reanalyze` knows what changed.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The score from which a sentence counts as a claim.
    pub fn threshold(&self) -> f64 {
        self.scoring.threshold
    }

    pub fn set_threshold(&mut self, threshold: f64) {
        self.scoring.threshold = threshold.clamp(0.0, 1.0);
    }

    /// The pack for a language; languages without lexicons use English cues, whose
    /// entity names (companies, agencies) still apply.
    pub(crate) fn pack(&self, lang: &str) -> &LanguagePack {
        self.others.get(lang).unwrap_or(&self.english)
    }

    /// Splits `text` (in language `lang`) into sentences and returns the claims among them.
    pub fn analyze(&self, text: &str, lang: &str) -> Analysis {
        let pack = self.pack(lang);
        let spans = segment::split(text, &pack.rules);
        let folded = fold(text);
        let mut hits = TextHits::find(pack, text, &folded);
        let mut claims = Vec::new();
        for (index, span) in spans.iter().enumerate() {
            let sentence = &text[span.start..span.end];
            let in_sentence = hits.take_until(span.end);
            let assessment = self.assess_hits(sentence, &in_sentence, text);
            if assessment.score >= self.scoring.threshold {
                claims.push(Claim {
                    sentence_index: index,
                    start: span.start,
                    end: span.end,
                    text: sentence.to_owned(),
                    assessment,
                });
            }
        }
        Analysis {
            lang: lang.to_owned(),
            sentences: spans.len(),
            claims,
        }
    }

    /// Scores and tags one sentence on its own (the evaluation's view of a sentence).
    pub fn assess(&self, sentence: &str, lang: &str) -> Assessment {
        let pack = self.pack(lang);
        let folded = fold(sentence);
        let mut hits = TextHits::find(pack, sentence, &folded);
        let all = hits.take_until(sentence.len());
        self.assess_hits(sentence, &all, sentence)
    }

    fn assess_hits(&self, sentence: &str, hits: &SentenceHits<'_>, text: &str) -> Assessment {
        let mut features = score::surface_features(sentence);
        let mut evidence = Vec::new();
        let mut themes: Vec<String> = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        for hit in &hits.cues {
            features.push((
                score::cue_feature(*hit.label),
                text[hit.start..hit.end].to_owned(),
            ));
        }
        for hit in &hits.countries {
            let matched = text[hit.start..hit.end].to_owned();
            features.push((
                if hit.label.entity {
                    Feature::Actor
                } else {
                    Feature::Place
                },
                matched.clone(),
            ));
            push_tag(
                &mut countries,
                &mut evidence,
                TagKind::Country,
                &hit.label.code,
                matched,
            );
        }
        if countries.len() >= 2 {
            features.push((Feature::Several, countries.join(" ")));
        }
        for hit in &hits.themes {
            push_tag(
                &mut themes,
                &mut evidence,
                TagKind::Theme,
                hit.label,
                text[hit.start..hit.end].to_owned(),
            );
        }
        let (score, reasons) = self.scoring.score(&features);
        Assessment {
            score,
            reasons,
            themes,
            countries,
            evidence,
        }
    }
}

fn push_tag(
    tags: &mut Vec<String>,
    evidence: &mut Vec<Evidence>,
    kind: TagKind,
    id: &str,
    matched: String,
) {
    if !tags.iter().any(|t| t == id) {
        tags.push(id.to_owned());
    }
    let item = Evidence {
        kind,
        id: id.to_owned(),
        matched,
    };
    if !evidence.contains(&item) {
        evidence.push(item);
    }
}

/// All lexicon hits of a text, consumed sentence by sentence.
struct TextHits<'a> {
    themes: std::vec::IntoIter<Hit<'a, String>>,
    countries: std::vec::IntoIter<Hit<'a, CountryLabel>>,
    cues: std::vec::IntoIter<Hit<'a, resources::Cue>>,
}

#[derive(Default)]
struct SentenceHits<'a> {
    themes: Vec<Hit<'a, String>>,
    countries: Vec<Hit<'a, CountryLabel>>,
    cues: Vec<Hit<'a, resources::Cue>>,
}

impl<'a> TextHits<'a> {
    fn find(pack: &'a LanguagePack, text: &str, folded: &str) -> Self {
        let mut hits = SentenceHits::default();
        for hit in pack.terms.find(text, folded) {
            let (start, end) = (hit.start, hit.end);
            match hit.label {
                Meaning::Theme(label) => hits.themes.push(Hit { start, end, label }),
                Meaning::Country(label) => hits.countries.push(Hit { start, end, label }),
                Meaning::Cue(label) => hits.cues.push(Hit { start, end, label }),
            }
        }
        TextHits {
            themes: hits.themes.into_iter(),
            countries: hits.countries.into_iter(),
            cues: hits.cues.into_iter(),
        }
    }

    /// The hits that start before `end` and were not taken yet.
    fn take_until(&mut self, end: usize) -> SentenceHits<'a> {
        fn drain<'h, L>(
            iter: &mut std::vec::IntoIter<Hit<'h, L>>,
            out: &mut Vec<Hit<'h, L>>,
            end: usize,
        ) {
            while iter.as_slice().first().is_some_and(|h| h.start < end) {
                out.extend(iter.next());
            }
        }
        let mut taken = SentenceHits::default();
        drain(&mut self.themes, &mut taken.themes, end);
        drain(&mut self.countries, &mut taken.countries, end);
        drain(&mut self.cues, &mut taken.cues, end);
        taken
    }
}
