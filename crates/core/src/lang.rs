//! Language of an article as an ISO 639-1 code, detected from its text: the script names
//! Chinese, Japanese and Korean; a vote of function words names clear Latin-script prose in
//! the languages Veille analyses; whatlang decides the rest.
//! A feed's declared language is only a hint, used when the text is too short or too mixed
//! for the detector to be sure (feeds often declare one language for everything).

use std::borrow::Cow;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use whatlang::Lang;

/// Below this many characters the detector's guess is weaker than the feed's declaration.
const SHORT_TEXT_CHARS: usize = 120;

/// Detects the language of `text`; `hint` is the feed's or item's declared language
/// (any BCP 47 tag such as `fr-FR` or `zh-Hans`).
pub fn detect(text: &str, hint: Option<&str>) -> Option<String> {
    let hint = hint.and_then(normalise_tag);
    let sample = sample(text);
    if let Some(lang) = by_script(sample, hint.as_deref()) {
        return Some(lang.to_owned());
    }
    let long = sample.chars().count() >= SHORT_TEXT_CHARS;
    if let Some(lang) = long.then(|| by_function_words(sample)).flatten() {
        return Some(lang.to_owned());
    }
    let info = whatlang::detect(sample);
    let detected = info.as_ref().map(|i| iso639_1(i.lang()));
    let confident = info.as_ref().is_some_and(|i| i.is_reliable()) && long;
    match (detected, hint) {
        (Some(found), _) if confident => Some(found.to_owned()),
        (_, Some(hint)) => Some(hint),
        (found, None) => found.map(str::to_owned),
    }
}

/// Kana mean Japanese and Hangul Korean whatever the length or the feed says; Han
/// characters alone mean Chinese unless the feed says Japanese. Script evidence is strong
/// even in a title, where statistical detection is not.
fn by_script(text: &str, hint: Option<&str>) -> Option<&'static str> {
    let (mut kana, mut han, mut hangul, mut letters) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        match c as u32 {
            0x3040..=0x30FF | 0xFF66..=0xFF9D => kana += 1,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => han += 1,
            0xAC00..=0xD7AF | 0x1100..=0x11FF => hangul += 1,
            _ => {}
        }
    }
    let cjk = kana + han + hangul;
    if cjk * 2 < letters {
        return None;
    }
    Some(match () {
        _ if hangul * 2 > cjk => "ko",
        _ if kana * 20 >= cjk && kana > 0 => "ja",
        _ if hint == Some("ja") => "ja",
        _ => "zh",
    })
}

/// Function words by language, from `assets/lang/function-words.tsv` (built in: parsing
/// feeds needs no asset folder). A word listed for two languages is dropped.
struct FunctionWords {
    language_of: FxHashMap<&'static str, &'static str>,
    /// Longer words (in bytes) are not looked up: they are never function words.
    longest: usize,
}

static FUNCTION_WORDS: LazyLock<FunctionWords> = LazyLock::new(|| {
    let mut words: FxHashMap<&'static str, Option<&'static str>> = FxHashMap::default();
    let table = include_str!("../../../assets/lang/function-words.tsv");
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let Some((lang, list)) = line.split_once('\t') else {
            continue;
        };
        for word in list.split_whitespace() {
            let entry = words.entry(word).or_insert(Some(lang));
            if *entry != Some(lang) {
                *entry = None;
            }
        }
    }
    let language_of: FxHashMap<_, _> = words
        .into_iter()
        .filter_map(|(word, lang)| Some((word, lang?)))
        .collect();
    let longest = language_of.keys().map(|w| w.len()).max().unwrap_or(0);
    FunctionWords {
        language_of,
        longest,
    }
});

/// A vote of function words, a hundred times cheaper than the statistical detector: the
/// language whose function words make at least an eighth of the words, three times as many
/// as any other's, is the text's language. Other texts are left to whatlang.
fn by_function_words(text: &str) -> Option<&'static str> {
    let mut votes: Vec<(&'static str, usize)> = Vec::with_capacity(6);
    let mut words = 0usize;
    let table = &*FUNCTION_WORDS;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        if word.len() > table.longest {
            continue;
        }
        let word: Cow<'_, str> = if word.chars().any(char::is_uppercase) {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        let Some(&lang) = table.language_of.get(word.as_ref()) else {
            continue;
        };
        match votes.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, n)) => *n += 1,
            None => votes.push((lang, 1)),
        }
    }
    votes.sort_by_key(|v| std::cmp::Reverse(v.1));
    let (lang, best) = *votes.first()?;
    let runner_up = votes.get(1).map_or(0, |v| v.1);
    (best >= 5 && best * 8 >= words && best >= 3 * runner_up).then_some(lang)
}

/// Detection on the first few thousand bytes is as good as on the whole text and bounded.
fn sample(text: &str) -> &str {
    const MAX: usize = 1024;
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `fr-FR` → `fr`, `zh-Hans-CN` → `zh`; anything that is not a two- or three-letter primary
/// subtag is ignored.
pub fn normalise_tag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let valid = (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
    valid.then_some(primary)
}

/// whatlang speaks ISO 639-3; the rest of Veille speaks ISO 639-1.
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Hin => "hi",
        Lang::Ben => "bn",
        Lang::Vie => "vi",
        Lang::Tha => "th",
        Lang::Ind => "id",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Slv => "sl",
        Lang::Cat => "ca",
        Lang::Pes => "fa",
        Lang::Urd => "ur",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Epo => "eo",
        Lang::Kat => "ka",
        Lang::Hye => "hy",
        Lang::Bel => "be",
        Lang::Mkd => "mk",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Tgl => "tl",
        Lang::Cym => "cy",
        Lang::Tam => "ta",
        Lang::Tel => "te",
        Lang::Mal => "ml",
        Lang::Kan => "kn",
        Lang::Mar => "mr",
        Lang::Guj => "gu",
        Lang::Pan => "pa",
        Lang::Ori => "or",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Mya => "my",
        Lang::Amh => "am",
        Lang::Aze => "az",
        Lang::Uzb => "uz",
        Lang::Tuk => "tk",
        Lang::Jav => "jv",
        Lang::Yid => "yi",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Aka => "ak",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wins_over_a_wrong_hint() {
        let text =
            "Le gouvernement néerlandais a restreint les exportations de machines de lithographie \
                    vers la Chine, a annoncé le ministère du commerce extérieur vendredi dernier.";
        assert_eq!(detect(text, Some("en-US")).as_deref(), Some("fr"));
    }

    #[test]
    fn function_words_and_whatlang_agree_on_news_prose() {
        let texts = [
            ("en", "The Commerce Department said on Monday that it would tighten the rules for exports of advanced chips to China, which has built up stocks of older parts."),
            ("de", "Die Bundesregierung hat am Montag angekündigt, dass sie die Förderung für die neue Chipfabrik in Magdeburg nicht mehr in voller Höhe auszahlen wird."),
            ("es", "El Gobierno aprobó el martes un plan para atraer fábricas de chips, pero los fabricantes dicen que las ayudas llegan tarde y que los costes de la energía siguen altos."),
            ("it", "Il governo italiano ha stanziato nuovi fondi per la ricerca sui semiconduttori, secondo quanto annunciato dal ministero delle imprese dopo il vertice con i produttori."),
            ("pt", "O governo brasileiro anunciou um pacote de incentivos para a produção de chips no país, mas os fabricantes dizem que ainda não há data para as primeiras fábricas."),
            ("fr", "Le ministère a annoncé que les aides aux usines de puces seraient versées plus tôt que prévu, selon un communiqué publié mardi après la réunion avec les industriels."),
        ];
        for (lang, text) in texts {
            assert_eq!(by_function_words(text), Some(lang), "{text}");
            let statistical = whatlang::detect(text).map(|i| iso639_1(i.lang()));
            assert_eq!(statistical, Some(lang), "{text}");
        }
    }

    #[test]
    fn other_languages_are_left_to_the_statistical_detector() {
        let dutch = "De regering heeft dinsdag bekendgemaakt dat de exportregels voor geavanceerde chipmachines verder worden aangescherpt, zo meldt het ministerie van Buitenlandse Zaken.";
        assert_eq!(by_function_words(dutch), None);
        assert_eq!(detect(dutch, Some("en")).as_deref(), Some("nl"));
    }

    #[test]
    fn short_text_follows_the_hint() {
        assert_eq!(detect("Nvidia H20", Some("de-DE")).as_deref(), Some("de"));
    }

    #[test]
    fn japanese_and_chinese_are_told_apart() {
        assert_eq!(detect("日本政府は半導体メーカーのラピダスに追加の補助金を出すと発表した。北海道の工場では二ナノの試作が始まっている。", None).as_deref(), Some("ja"));
        assert_eq!(
            detect(
                "中国商务部宣布对镓和锗相关物项实施出口管制，这一措施将于八月一日起正式生效。",
                None
            )
            .as_deref(),
            Some("zh")
        );
    }
}
