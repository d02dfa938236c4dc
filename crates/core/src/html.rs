//! A thin driver around html5ever's tokenizer, shared by the plain-text extractor and feed
//! autodiscovery. Tokenizing (rather than building a tree) is enough for both and cheap.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What a sink sees: a start or end tag, or text (entities already decoded).
pub(crate) enum Piece<'a> {
    Start(&'a Tag),
    End(&'a Tag),
    Text(&'a str),
}

/// Runs `visit` over every tag and text run of `html`. The content of `<script>`, `<style>`,
/// `<textarea>` and `<title>` is read as raw text, as a browser would, so markup-looking
/// strings inside scripts are not mistaken for tags.
pub(crate) fn visit(html: &str, visit: impl FnMut(Piece<'_>)) {
    let sink = Sink {
        visit: std::cell::RefCell::new(visit),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

struct Sink<F> {
    visit: std::cell::RefCell<F>,
}

impl<F: FnMut(Piece<'_>)> TokenSink for Sink<F> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut visit = self.visit.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                visit(Piece::Start(&tag));
                if let Some(kind) = raw_kind(&tag) {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(tag) => visit(Piece::End(&tag)),
            Token::CharacterTokens(text) => visit(Piece::Text(&text)),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn raw_kind(tag: &Tag) -> Option<RawKind> {
    if tag.self_closing {
        return None;
    }
    match &*tag.name {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// The value of an attribute of a tag, if present.
pub(crate) fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}
