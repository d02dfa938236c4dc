//! The claim score: a logistic combination of cue features, each one a named reason the
//! user can see. Weights and the threshold come from `assets/analysis/scoring.toml`.

use serde::{Deserialize, Serialize};

use super::resources::Cue;
use crate::script::is_cjk;

/// A feature of a sentence that moves its claim score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    Figure,
    Unit,
    Date,
    Actor,
    Place,
    /// Two or more different countries named (directly or through their organisations).
    Several,
    Reporting,
    Event,
    Comparative,
    Question,
    Person,
    Opinion,
    Hedging,
    Boilerplate,
    Short,
}

/// The scoring model.
#[derive(Debug, Clone, Deserialize)]
pub struct Scoring {
    pub bias: f64,
    pub threshold: f64,
    pub weights: Weights,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Weights {
    pub figure: f64,
    pub unit: f64,
    pub date: f64,
    pub actor: f64,
    pub place: f64,
    pub several: f64,
    pub reporting: f64,
    pub event: f64,
    pub comparative: f64,
    pub question: f64,
    pub person: f64,
    pub opinion: f64,
    pub hedging: f64,
    pub boilerplate: f64,
    pub short: f64,
}

impl Weights {
    fn of(&self, feature: Feature) -> f64 {
        match feature {
            Feature::Figure => self.figure,
            Feature::Unit => self.unit,
            Feature::Date => self.date,
            Feature::Actor => self.actor,
            Feature::Place => self.place,
            Feature::Several => self.several,
            Feature::Reporting => self.reporting,
            Feature::Event => self.event,
            Feature::Comparative => self.comparative,
            Feature::Question => self.question,
            Feature::Person => self.person,
            Feature::Opinion => self.opinion,
            Feature::Hedging => self.hedging,
            Feature::Boilerplate => self.boilerplate,
            Feature::Short => self.short,
        }
    }
}

/// One reason behind a score: the feature, its weight, and the words that showed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub feature: Feature,
    pub weight: f64,
    #[serde(rename = "match")]
    pub matched: String,
}

/// The feature a cue word stands for.
pub fn cue_feature(cue: Cue) -> Feature {
    match cue {
        Cue::Reporting => Feature::Reporting,
        Cue::Event => Feature::Event,
        Cue::Comparative => Feature::Comparative,
        Cue::Unit => Feature::Unit,
        Cue::Date => Feature::Date,
        Cue::Hedging => Feature::Hedging,
        Cue::Opinion => Feature::Opinion,
        Cue::Person => Feature::Person,
        Cue::Boilerplate => Feature::Boilerplate,
    }
}

impl Scoring {
    /// The score of a sentence with these features (first evidence of each kept).
    pub fn score(&self, found: &[(Feature, String)]) -> (f64, Vec<Reason>) {
        let mut reasons: Vec<Reason> = Vec::new();
        for (feature, matched) in found {
            if reasons.iter().any(|r| r.feature == *feature) {
                continue;
            }
            reasons.push(Reason {
                feature: *feature,
                weight: self.weights.of(*feature),
                matched: matched.clone(),
            });
        }
        let total: f64 = self.bias + reasons.iter().map(|r| r.weight).sum::<f64>();
        let score = 1.0 / (1.0 + (-total).exp());
        ((score * 1000.0).round() / 1000.0, reasons)
    }
}

/// Features read off the characters of a sentence itself: figures, years, symbols,
/// questions and length.
pub fn surface_features(sentence: &str) -> Vec<(Feature, String)> {
    let mut found = Vec::new();
    let mut unit: Option<char> = None;
    let (mut cjk, mut all) = (0, 0);
    let mut before: Option<char> = None;
    let mut number_until = 0;
    for (at, c) in sentence.char_indices() {
        all += 1;
        cjk += usize::from(is_cjk(c));
        if unit.is_none() && is_unit_symbol(c) {
            unit = Some(c);
        }
        if at < number_until {
            continue;
        }
        if is_digit(c) {
            number_until = number_end(sentence, at);
            let number = &sentence[at..number_until];
            let glued_to_name = before.is_some_and(|b| b.is_alphabetic() && !is_cjk(b));
            if is_year(number) || sentence[number_until..].starts_with(['年', '月', '日']) {
                found.push((Feature::Date, number.to_owned()));
            }
            if !glued_to_name {
                found.push((Feature::Figure, number.to_owned()));
            }
            before = number.chars().next_back();
        } else {
            before = Some(c);
        }
    }
    if let Some(symbol) = unit {
        found.push((Feature::Unit, symbol.to_string()));
    }
    if is_question(sentence) {
        found.push((Feature::Question, "?".to_owned()));
    }
    if is_short(sentence, cjk, all) {
        found.push((Feature::Short, sentence.to_owned()));
    }
    found
}

/// Where the number starting at byte `start` ends: digits, with single '.' or ','
/// separators between digits ("3.5", "12,250").
fn number_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut chars = text[start..].chars().peekable();
    while let Some(c) = chars.next() {
        let separator = matches!(c, '.' | ',') && chars.peek().is_some_and(|n| is_digit(*n));
        if !is_digit(c) && !separator {
            break;
        }
        end += c.len_utf8();
    }
    end
}

fn is_unit_symbol(c: char) -> bool {
    match c {
        '%' | '$' => true,
        c if c.is_ascii() => false,
        c => matches!(c, '％' | '€' | '£' | '¥' | '￥' | '₩'),
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_year(number: &str) -> bool {
    number.len() == 4
        && number
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2099).contains(&y))
}

fn is_question(sentence: &str) -> bool {
    let end = sentence.trim_end_matches(|c: char| c.is_whitespace() || "\"'»”’」』)）".contains(c));
    end.ends_with(['?', '？']) || sentence.contains('¿')
}

/// Fewer than 8 CJK characters in mostly CJK text, else fewer than 4 words (`cjk` of
/// the `all` characters are CJK).
fn is_short(sentence: &str, cjk: usize, all: usize) -> bool {
    if cjk * 2 >= all {
        return cjk < 8;
    }
    sentence.split_whitespace().nth(3).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(sentence: &str) -> Vec<Feature> {
        surface_features(sentence)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn names_are_not_figures_but_years_and_percentages_are() {
        assert_eq!(features("Nvidia sells the H20 in China today."), []);
        assert_eq!(
            features("Shares rose 8.5% in 2024 on the news."),
            [
                Feature::Figure,
                Feature::Date,
                Feature::Figure,
                Feature::Unit
            ]
        );
        assert_eq!(
            features("台积电2025年营收增长39％。"),
            [
                Feature::Date,
                Feature::Figure,
                Feature::Figure,
                Feature::Unit
            ]
        );
        assert_eq!(
            features("Will Beijing retaliate against the new rules?"),
            [Feature::Question]
        );
    }
}
