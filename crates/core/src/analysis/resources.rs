//! Loading the analysis data files of `assets/analysis/` into matchers, per language:
//! `themes.tsv` (the fixed theme ids), `themes/<lang>.tsv`, `gazetteer/<lang>.tsv`,
//! `gazetteer/entities.tsv` (companies, agencies… for every language) and
//! `cues/<lang>.toml` (the words that make or unmake a claim, and abbreviations).

use serde::Deserialize;

use super::lexicon::{parse_tsv, Group, Lexicon};
use super::segment::Rules;
use crate::assets::Assets;
use crate::{Error, Result};

/// The languages Veille has lexicons for.
pub const LANGUAGES: [&str; 8] = ["en", "fr", "de", "es", "it", "pt", "zh", "ja"];

/// What a country hit stands on: a place name in the language, or a named organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryLabel {
    pub code: String,
    pub entity: bool,
}

/// The kinds of cue word a claim score looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Reporting,
    Event,
    Comparative,
    Unit,
    Date,
    Hedging,
    Opinion,
    Person,
    Boilerplate,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CueFile {
    reporting: Vec<String>,
    events: Vec<String>,
    comparatives: Vec<String>,
    units: Vec<String>,
    months: Vec<String>,
    hedging: Vec<String>,
    opinion: Vec<String>,
    persons: Vec<String>,
    boilerplate: Vec<String>,
    abbreviations: Vec<String>,
}

/// What a term of a language's lexicons stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Theme(String),
    Country(CountryLabel),
    Cue(Cue),
}

impl Group for Meaning {
    fn group(&self) -> u8 {
        match self {
            Meaning::Theme(_) => 0,
            Meaning::Country(_) => 1,
            Meaning::Cue(_) => 2,
        }
    }
}

/// Everything the analyser knows about one language. Themes, places, entities and cues
/// share one lexicon: one scan of a text finds them all.
pub struct LanguagePack {
    pub terms: Lexicon<Meaning>,
    pub rules: Rules,
}

/// The fixed theme ids, with their one-line meanings.
pub fn theme_ids(assets: &Assets) -> Result<Vec<(String, String)>> {
    let text = assets.read_text("analysis/themes.tsv")?;
    Ok(parse_tsv(&text)
        .into_iter()
        .map(|(id, meaning)| (id.to_owned(), meaning.to_owned()))
        .collect())
}

/// Loads the pack for `lang` (one of [`LANGUAGES`]).
pub fn load_pack(
    assets: &Assets,
    lang: &str,
    theme_ids: &[(String, String)],
) -> Result<LanguagePack> {
    let themes_text = assets.read_text(&format!("analysis/themes/{lang}.tsv"))?;
    let theme_entries = parse_tsv(&themes_text);
    if let Some((id, _)) = theme_entries
        .iter()
        .find(|(id, _)| !theme_ids.iter().any(|(known, _)| known == id))
    {
        return Err(Error::Invalid(format!(
            "analysis/themes/{lang}.tsv: unknown theme id {id}"
        )));
    }
    let themes = theme_entries
        .into_iter()
        .map(|(id, term)| (Meaning::Theme(id.to_owned()), term));

    let places_text = assets.read_text(&format!("analysis/gazetteer/{lang}.tsv"))?;
    let entities_text = assets.read_text("analysis/gazetteer/entities.tsv")?;
    let places = parse_tsv(&places_text)
        .into_iter()
        .map(|(code, term)| (country(code, false), term));
    let entities = parse_tsv(&entities_text)
        .into_iter()
        .map(|(code, term)| (country(code, true), term));

    let cue_text = assets.read_text(&format!("analysis/cues/{lang}.toml"))?;
    let cue_file: CueFile = toml::from_str(&cue_text)
        .map_err(|e| Error::Invalid(format!("analysis/cues/{lang}.toml: {e}")))?;
    let terms = Lexicon::new(
        themes
            .chain(places)
            .chain(entities)
            .chain(cue_terms(&cue_file)),
    )?;
    let rules = Rules::new(
        cue_file.abbreviations.clone(),
        cue_file
            .months
            .iter()
            .map(|m| m.trim_end_matches('*').to_lowercase())
            .collect(),
    );
    Ok(LanguagePack { terms, rules })
}

/// A hash of every analysis data file, in a fixed order.
pub fn fingerprint(assets: &Assets) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut files = vec![
        "analysis/themes.tsv".to_owned(),
        "analysis/scoring.toml".to_owned(),
        "analysis/gazetteer/entities.tsv".to_owned(),
    ];
    for lang in LANGUAGES {
        files.push(format!("analysis/themes/{lang}.tsv"));
        files.push(format!("analysis/gazetteer/{lang}.tsv"));
        files.push(format!("analysis/cues/{lang}.toml"));
    }
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(assets.read(&file)?);
        hasher.update([0]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn country(code: &str, entity: bool) -> Meaning {
    Meaning::Country(CountryLabel {
        code: code.to_owned(),
        entity,
    })
}

fn cue_terms(file: &CueFile) -> impl Iterator<Item = (Meaning, &str)> {
    let groups: [(Cue, &Vec<String>); 9] = [
        (Cue::Reporting, &file.reporting),
        (Cue::Event, &file.events),
        (Cue::Comparative, &file.comparatives),
        (Cue::Unit, &file.units),
        (Cue::Date, &file.months),
        (Cue::Hedging, &file.hedging),
        (Cue::Opinion, &file.opinion),
        (Cue::Person, &file.persons),
        (Cue::Boilerplate, &file.boilerplate),
    ];
    groups
        .into_iter()
        .flat_map(|(cue, terms)| terms.iter().map(move |t| (Meaning::Cue(cue), t.as_str())))
}
