//! Sentence segmentation with byte offsets, for every language Veille reads.
//!
//! The base is Unicode's sentence-boundary rules (UAX #29, via unicode-segmentation): they
//! already keep decimals ("3.5"), closing quotes and guillemets with their sentence, and
//! break after the CJK marks 。！？. On top come the fixes UAX #29 leaves to each language:
//! abbreviations ("U.S.", "M.", "z. B.", "EE.UU."), initials ("J. Smith"), and German
//! ordinal dates ("am 3. März").

use unicode_segmentation::UnicodeSegmentation;

/// A sentence: its byte range in the text (whitespace trimmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// The language-specific knowledge the splitter uses.
#[derive(Debug, Default, Clone)]
pub struct Rules {
    /// Tokens ending in a period that do not end a sentence (matched as written).
    abbreviations: Vec<String>,
    /// The spaced abbreviations ("z. B.") cut after each inner period: ("z.", "B."),
    /// computed once because every sentence that ends in a period is checked against them.
    cuts: Vec<(String, String)>,
    /// Words that may follow an ordinal number ("3. März"): month names, lower-cased.
    ordinal_followers: Vec<String>,
}

impl Rules {
    pub fn new(abbreviations: Vec<String>, ordinal_followers: Vec<String>) -> Rules {
        let cuts = abbreviations
            .iter()
            .flat_map(|abbr| {
                abbr.match_indices(". ").map(|(at, _)| {
                    let (head, tail) = abbr.split_at(at + 1);
                    (head.to_owned(), tail.trim_start().to_owned())
                })
            })
            .collect();
        Rules {
            abbreviations,
            cuts,
            ordinal_followers,
        }
    }
}

/// Splits `text` into sentences. Spans are in order, never overlap, and lie on character
/// boundaries.
pub fn split(text: &str, rules: &Rules) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut glue = false;
    let bounds = sentence_bounds(text);
    let pieces = std::iter::once(0)
        .chain(bounds.iter().copied())
        .zip(bounds.iter().copied().chain(std::iter::once(text.len())));
    for (start, end) in pieces {
        let Some(mut span) = trimmed(text, start, end) else {
            continue;
        };
        // A closing quote after a space ("milliards. »", French style) belongs to the
        // sentence it closes; UAX #29 starts a new one there.
        if let Some(last) = spans.last_mut() {
            let closing = closing_prefix(&text[span.start..span.end]);
            if closing > 0 && !text[last.end..span.start].contains('\n') {
                last.end = span.start + closing;
                match trimmed(text, span.start + closing, span.end) {
                    Some(rest) => span = rest,
                    None => continue,
                }
            }
        }
        match spans.last_mut() {
            Some(last) if glue && !text[last.end..span.start].contains('\n') => last.end = span.end,
            _ => spans.push(span),
        }
        let current = spans[spans.len() - 1];
        glue = continues(
            &text[current.start..current.end],
            &text[current.end..],
            rules,
        );
    }
    move_opening_marks(text, &mut spans);
    spans
}

/// Where UAX #29 ends sentences inside `text` (byte offsets, neither 0 nor the end),
/// exactly as unicode-segmentation finds them, at a fraction of the cost. The rules only
/// ever break after a sentence terminator or a paragraph separator, and decide from the
/// character before the terminator up to the first letter after it; so they run on small
/// windows around those characters instead of on every character of the text. Windows
/// start at the beginning of the terminator's word and are merged when they touch.
pub fn sentence_bounds(text: &str) -> Vec<usize> {
    let mut bounds = Vec::new();
    let mut window: Option<(usize, usize)> = None;
    let mut at = 0;
    while let Some(found) = text[at..].find(may_end_sentence) {
        let mark = at + found;
        let start = word_start(text, mark, window.map_or(0, |(_, end)| end));
        let end = after_next_letter(text, mark);
        window = match window {
            Some((open, close)) if start <= close => Some((open, end)),
            Some(done) => {
                window_bounds(text, done, &mut bounds);
                Some((start, end))
            }
            None => Some((start, end)),
        };
        at = end;
    }
    if let Some(done) = window {
        window_bounds(text, done, &mut bounds);
    }
    bounds
}

/// A character after which UAX #29 may end a sentence: terminators and paragraph
/// separators. Beyond ASCII it is every character that is neither a letter nor a digit
/// (a superset: a window around a character that never breaks finds nothing).
fn may_end_sentence(c: char) -> bool {
    if c.is_ascii() {
        return matches!(c, '.' | '?' | '!' | '\n' | '\r' | '\u{b}' | '\u{c}');
    }
    !c.is_alphanumeric()
}

/// The start of the word holding `mark`, not before `floor`.
fn word_start(text: &str, mark: usize, floor: usize) -> usize {
    let floor = floor.min(mark);
    text[floor..mark]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(floor, |(i, c)| floor + i + c.len_utf8())
}

/// Just after the first letter that follows `mark` (or the end of the text): the rules'
/// lookahead never goes further.
fn after_next_letter(text: &str, mark: usize) -> usize {
    text[mark..]
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(text.len(), |(i, c)| mark + i + c.len_utf8())
}

fn window_bounds(text: &str, (start, end): (usize, usize), bounds: &mut Vec<usize>) {
    let window = &text[start..end];
    bounds.extend(
        window
            .split_sentence_bound_indices()
            .map(|(i, _)| i)
            .filter(|i| *i > 0)
            .map(|i| start + i)
            .filter(|at| *at < text.len()),
    );
}

/// UAX #29 counts an opening quote or bracket that follows a sentence mark ("。「") as
/// closing the sentence; it opens the next one.
fn move_opening_marks(text: &str, spans: &mut [Span]) {
    for i in 1..spans.len() {
        let (before, after) = spans.split_at_mut(i);
        let (prev, next) = (&mut before[i - 1], &mut after[0]);
        while let Some(c) = text[prev.start..prev.end].chars().next_back() {
            let opening = matches!(c, '「' | '『' | '（' | '“' | '«' | '‘' | '【');
            if !opening || prev.end != next.start || prev.end - prev.start <= c.len_utf8() {
                break;
            }
            prev.end -= c.len_utf8();
            next.start -= c.len_utf8();
        }
    }
}

/// The length in bytes of the closing quotes and brackets that start `piece`.
fn closing_prefix(piece: &str) -> usize {
    piece
        .char_indices()
        .find(|(_, c)| !matches!(c, '»' | '”' | '’' | ')' | '」' | '』' | '）' | '›'))
        .map_or(piece.len(), |(i, _)| i)
}

fn trimmed(text: &str, start: usize, end: usize) -> Option<Span> {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    (lead + trail < piece.len()).then_some(Span {
        start: start + lead,
        end: end - trail,
    })
}

/// Whether the sentence that ends `sentence` really goes on into `rest`: it ends with a
/// known abbreviation or initials ("Co.", "C.C."), or with an ordinal number before a
/// month ("3. März").
fn continues(sentence: &str, rest: &str, rules: &Rules) -> bool {
    if !sentence.ends_with('.') || rest.trim_start().is_empty() {
        return false;
    }
    let last_token = sentence
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or(sentence);
    if ends_with_abbreviation(sentence, &rules.abbreviations)
        || straddles_abbreviation(sentence, rest, &rules.cuts)
        || is_initials(last_token)
    {
        return true;
    }
    let next_word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    is_number_dot(last_token) && rules.ordinal_followers.contains(&next_word)
}

fn ends_with_abbreviation(sentence: &str, abbreviations: &[String]) -> bool {
    abbreviations.iter().any(|abbr| {
        sentence.ends_with(abbr.as_str())
            && sentence[..sentence.len() - abbr.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Whether a spaced abbreviation ("z. B.", "p. ex.") is cut in two at this boundary.
fn straddles_abbreviation(sentence: &str, rest: &str, cuts: &[(String, String)]) -> bool {
    let rest = rest.trim_start();
    cuts.iter().any(|(head, tail)| {
        sentence.ends_with(head.as_str())
            && rest.starts_with(tail.as_str())
            && sentence[..sentence.len() - head.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Capital initials, each with its period ("J.", "C.C."), as in names.
fn is_initials(token: &str) -> bool {
    let chars: Vec<char> = token
        .trim_start_matches(['(', '"', '«', '“'])
        .chars()
        .collect();
    !chars.is_empty()
        && chars.len() <= 6
        && chars
            .chunks(2)
            .all(|pair| matches!(pair, [c, '.'] if c.is_uppercase()))
}

fn is_number_dot(token: &str) -> bool {
    token.len() > 1
        && token.ends_with('.')
        && token[..token.len() - 1].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences<'a>(text: &'a str, rules: &Rules) -> Vec<&'a str> {
        split(text, rules)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    fn rules(abbreviations: &[&str], months: &[&str]) -> Rules {
        Rules::new(
            abbreviations.iter().map(|s| s.to_string()).collect(),
            months.iter().map(|s| s.to_string()).collect(),
        )
    }

    #[test]
    fn english_abbreviations_decimals_and_quotes() {
        let r = rules(&["U.S.", "Dr.", "Inc."], &[]);
        let text = "The U.S. Commerce Department acted. Revenue rose 3.5% to $1.2 billion. \
                    \"We are ready,\" said Dr. Lisa Su. J. Smith agreed.";
        assert_eq!(
            sentences(text, &r),
            [
                "The U.S. Commerce Department acted.",
                "Revenue rose 3.5% to $1.2 billion.",
                "\"We are ready,\" said Dr. Lisa Su.",
                "J. Smith agreed."
            ]
        );
    }

    #[test]
    fn french_german_and_cjk() {
        let fr = rules(&["M."], &[]);
        assert_eq!(
            sentences(
                "M. Macron a parlé. « Nous investirons 2,5 milliards. » Puis il est parti.",
                &fr
            ),
            [
                "M. Macron a parlé.",
                "« Nous investirons 2,5 milliards. »",
                "Puis il est parti."
            ]
        );
        let de = rules(&["z. B.", "Mrd."], &["märz"]);
        assert_eq!(
            sentences("Am 3. März kam z. B. Intel. Der Umsatz lag bei 5 Mrd. Euro im Jahr 2024. Danach fiel er.", &de),
            ["Am 3. März kam z. B. Intel.", "Der Umsatz lag bei 5 Mrd. Euro im Jahr 2024.", "Danach fiel er."]
        );
        let none = Rules::default();
        assert_eq!(
            sentences(
                "台积电表示，营收增长了39%。「这是历史新高！」分析师这样说。",
                &none
            ),
            [
                "台积电表示，营收增长了39%。",
                "「这是历史新高！」",
                "分析师这样说。"
            ]
        );
    }

    #[test]
    fn paragraphs_always_end_sentences() {
        let r = rules(&["U.S."], &[]);
        assert_eq!(
            sentences("Headline without period\n\nBody text here.", &r),
            ["Headline without period", "Body text here."]
        );
    }
}
