//! The lexer: logos over [`SyntaxKind`], plus the two things a regular grammar cannot decide.
//!
//! * Regex literals: `/` starts a regex (`~= /run./i`) only where a value is expected — after a
//!   comparison operator, `(`, `AND`, `OR` or `,` — and division everywhere else.
//! * Unterminated strings and block comments are still single tokens (so the tree stays
//!   lossless and recovery is local), with an error reported against them.
//!
//! Every byte of the input ends up in exactly one token; bytes logos cannot match become
//! [`SyntaxKind::ERROR_TOKEN`]s.

use logos::Logos;
use rowan::{TextRange, TextSize};

use crate::error::{ErrorCode, SyntaxError};
use crate::parser::TokenSet;
use crate::SyntaxKind::{self, *};

/// One lexed token: its kind and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: SyntaxKind,
    /// Where it is in the input.
    pub range: TextRange,
}

/// Splits `text` into tokens covering every byte, with the errors found on the way.
pub fn tokenize(text: &str) -> (Vec<Token>, Vec<SyntaxError>) {
    let mut tokens = Vec::new();
    let errors = tokenize_range_into(text, 0, text.len(), &mut tokens, None);
    (tokens, errors)
}

/// The kinds that need more than a push: a `/` that may start a regex, unrecognised
/// characters (merged, curly quotes), strings and block comments (checked for their end).
const NEEDS_CHECK: TokenSet = TokenSet::new(&[SLASH, ERROR_TOKEN, STRING, BLOCK_COMMENT]);

/// The tokens of `text` that start in `start..end`, lexed as if `start` were the beginning of
/// the input (but seeing the whole text after it), into `tokens` (cleared first, so that its
/// allocation can be reused). The significant (non-trivia) ones are also appended to
/// `significant` when given: the parser's input, gathered in the same pass.
///
/// Used with `start > 0` to lex a large document in parts on several threads: when `start` is
/// a token boundary of the whole lex and the first token is a keyword (so the regex/division
/// state does not matter), the part's tokens are exactly the whole lex's. The last token may
/// end after `end`; the caller checks that it does not. `start` must be a character boundary.
pub(crate) fn tokenize_range_into(
    text: &str,
    start: usize,
    end: usize,
    tokens: &mut Vec<Token>,
    mut significant: Option<&mut Vec<Token>>,
) -> Vec<SyntaxError> {
    tokens.clear();
    tokens.reserve((end - start) / 3 + 1);
    if let Some(significant) = significant.as_deref_mut() {
        significant.reserve((end - start) / 6 + 1);
    }
    let mut errors: Vec<SyntaxError> = Vec::new();
    let mut lexer = SyntaxKind::lexer(text);
    lexer.bump(start);
    // The last non-trivia kind; WHITESPACE (never significant) stands for "none yet".
    let mut last_significant = WHITESPACE;
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        if span.start >= end {
            break;
        }
        let mut kind = result.unwrap_or(ERROR_TOKEN);
        let range = if NEEDS_CHECK.contains(kind) {
            match slow_token(
                text,
                &mut lexer,
                kind,
                last_significant,
                tokens,
                &mut errors,
            ) {
                Some((checked, range)) => {
                    kind = checked;
                    range
                }
                // Merged into the previous error token.
                None => continue,
            }
        } else {
            TextRange::new(offset(span.start), offset(span.end))
        };
        let token = Token { kind, range };
        if !kind.is_trivia() {
            last_significant = kind;
            if let Some(significant) = significant.as_deref_mut() {
                significant.push(token);
            }
        }
        tokens.push(token);
    }
    errors
}

/// The kinds of [`NEEDS_CHECK`]: decides regex or division, widens curly-quoted text, merges
/// runs of unrecognised characters (`None`: merged into the last token) and reports malformed
/// tokens. Returns the token's final kind and range.
#[cold]
fn slow_token(
    text: &str,
    lexer: &mut logos::Lexer<SyntaxKind>,
    mut kind: SyntaxKind,
    last_significant: SyntaxKind,
    tokens: &mut [Token],
    errors: &mut Vec<SyntaxError>,
) -> Option<(SyntaxKind, TextRange)> {
    match kind {
        // A UTF-8 byte order mark at the very start (some editors write one) is whitespace:
        // kept in the tree (so the text round-trips), never an error.
        ERROR_TOKEN
            if lexer.span() == (0..BYTE_ORDER_MARK.len_utf8())
                && text.starts_with(BYTE_ORDER_MARK) =>
        {
            return Some((WHITESPACE, TextRange::new(TextSize::from(0), offset(3))));
        }
        SLASH if value_may_follow(last_significant) => {
            if let Some(len) = regex_len(lexer.remainder()) {
                lexer.bump(len);
                kind = REGEX;
            }
        }
        // `“quoted”` with curly quotes: one unrecognised token up to the closing quote, so
        // the text inside is not lexed (and reported) as names.
        ERROR_TOKEN => {
            if let Some(len) = curly_quoted_len(&text[lexer.span()], lexer.remainder()) {
                lexer.bump(len);
            }
        }
        _ => {}
    }
    let span = lexer.span();
    let range = TextRange::new(offset(span.start), offset(span.end));
    // Merge runs of unrecognised characters into one error token and one error.
    if kind == ERROR_TOKEN {
        if let Some(prev) = tokens.last_mut() {
            if prev.kind == ERROR_TOKEN && prev.range.end() == range.start() {
                prev.range = prev.range.cover(range);
                if let Some(err) = errors.last_mut() {
                    err.range = prev.range;
                    err.message = unrecognised_message(&text[prev.range]);
                }
                return None;
            }
        }
    }
    if let Some(error) = check_token(kind, &text[span], range) {
        errors.push(error);
    }
    Some((kind, range))
}

/// The UTF-8 byte order mark, accepted as whitespace at the start of a text.
pub const BYTE_ORDER_MARK: char = '\u{feff}';

fn offset(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::from(u32::MAX))
}

/// Tokens after which a `/` starts a regex literal rather than a division.
fn value_may_follow(kind: SyntaxKind) -> bool {
    kind.is_comparison_op() || matches!(kind, L_PAREN | AND_KW | OR_KW | COMMA)
}

/// Length of the rest of a regex literal whose opening `/` has been lexed: the body up to an
/// unescaped `/` on the same line, then the flags. `None` when it does not close.
fn regex_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b'/' if i == 0 => return None,
            b'/' => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return Some(i);
            }
            _ => i += 1,
        }
    }
    None
}

fn check_token(kind: SyntaxKind, text: &str, range: TextRange) -> Option<SyntaxError> {
    let (code, message) = match kind {
        STRING => {
            let quote = text.as_bytes()[0];
            if text.len() >= 2 && text.as_bytes()[text.len() - 1] == quote && !ends_escaped(text) {
                return None;
            }
            (
                ErrorCode::UnterminatedString,
                format!(
                    "unterminated string: expected a closing `{}` before the end of the line",
                    quote as char
                ),
            )
        }
        BLOCK_COMMENT if !(text.len() >= 4 && text.ends_with("*/")) => (
            ErrorCode::UnterminatedComment,
            "unterminated comment: expected `*/`".to_string(),
        ),
        ERROR_TOKEN => (ErrorCode::UnrecognisedCharacter, unrecognised_message(text)),
        _ => return None,
    };
    Some(SyntaxError::new(code, message, range))
}

fn unrecognised_message(text: &str) -> String {
    let hint = if text.starts_with(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']) {
        " (curly quotes are not string quotes: use ' or \")"
    } else if text.starts_with('#') {
        " (J1QL comments are `//` and `/* */`; `#` starts a smart class such as `#CriticalAsset`)"
    } else {
        ""
    };
    format!(
        "unrecognised character{} `{}`{hint}",
        if text.chars().count() > 1 { "s" } else { "" },
        text.escape_debug()
    )
}

/// Length of the rest of a curly-quoted text whose opening quote is `token`: up to and
/// including a closing curly quote on the same line. `None` when `token` is not a curly quote
/// or nothing closes it.
fn curly_quoted_len(token: &str, rest: &str) -> Option<usize> {
    let closers: &[char] = match token.chars().next()? {
        '\u{201c}' | '\u{201d}' => &['\u{201c}', '\u{201d}'],
        '\u{2018}' | '\u{2019}' => &['\u{2018}', '\u{2019}'],
        _ => return None,
    };
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let i = line.find(closers)?;
    Some(i + line[i..].chars().next().map_or(0, char::len_utf8))
}

/// Whether the last quote of a string is escaped (`'abc\'`), i.e. not a closing quote.
fn ends_escaped(text: &str) -> bool {
    let body = &text.as_bytes()[1..text.len() - 1];
    body.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// logos callback for `/*`: consumes to the closing `*/` or to the end of the input.
pub(crate) fn block_comment(lex: &mut logos::Lexer<SyntaxKind>) {
    let rest = lex.remainder();
    let len = rest.find("*/").map_or(rest.len(), |i| i + 2);
    lex.bump(len);
}

pub(crate) fn single_quoted(lex: &mut logos::Lexer<SyntaxKind>) {
    quoted(lex, b'\'')
}

pub(crate) fn double_quoted(lex: &mut logos::Lexer<SyntaxKind>) {
    quoted(lex, b'"')
}

/// Consumes a string body up to the closing quote (honouring backslash escapes), or up to the
/// end of the line when it is not closed.
fn quoted(lex: &mut logos::Lexer<SyntaxKind>, quote: u8) {
    let rest = lex.remainder().as_bytes();
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b'\\' if i + 1 < rest.len() && rest[i + 1] != b'\n' => i += 2,
            b'\n' => break,
            b if b == quote => {
                i += 1;
                break;
            }
            _ => i += 1,
        }
    }
    // Never split a UTF-8 character: `i` only stops on ASCII bytes or the end, except after
    // an escape of a multi-byte character, which we widen to its end.
    let rest_str = lex.remainder();
    while i < rest_str.len() && !rest_str.is_char_boundary(i) {
        i += 1;
    }
    lex.bump(i.min(rest_str.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SyntaxKind, &str)> {
        tokenize(text)
            .0
            .into_iter()
            .filter(|t| t.kind != WHITESPACE)
            .map(|t| (t.kind, &text[t.range]))
            .collect()
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_whitespace() {
        let (tokens, errors) = tokenize("\u{feff}FIND User");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(tokens[0].kind, WHITESPACE);
        assert_eq!(u32::from(tokens[0].range.end()), 3);
        assert_eq!(
            kinds("\u{feff}FIND User"),
            vec![(FIND_KW, "FIND"), (IDENT, "User")]
        );
        let parse = crate::parse("\u{feff}FIND User THAT IS Person\n");
        assert!(parse.errors().is_empty(), "{:?}", parse.errors());
        assert_eq!(
            parse.syntax_node().to_string(),
            "\u{feff}FIND User THAT IS Person\n"
        );
        // Anywhere else it is still an unrecognised character.
        let (_, errors) = tokenize("FIND \u{feff}User");
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(
            kinds("Find fInD WITH that"),
            vec![
                (FIND_KW, "Find"),
                (FIND_KW, "fInD"),
                (WITH_KW, "WITH"),
                (THAT_KW, "that")
            ]
        );
    }

    #[test]
    fn operators_take_the_longest_match() {
        let got: Vec<_> = kinds("!~= !^= !$= ~= ^= $= != >= <= << >> )? ! = > <")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert_eq!(
            got,
            vec![
                NOT_TILDE_EQ,
                NOT_CARET_EQ,
                NOT_DOLLAR_EQ,
                TILDE_EQ,
                CARET_EQ,
                DOLLAR_EQ,
                NEQ,
                GTE,
                LTE,
                SHL,
                SHR,
                R_PAREN_QUESTION,
                BANG,
                EQ,
                GT,
                LT
            ]
        );
    }

    #[test]
    fn regex_only_where_a_value_is_expected() {
        assert_eq!(
            kinds("x ~= /run./i"),
            vec![(IDENT, "x"), (TILDE_EQ, "~="), (REGEX, "/run./i")]
        );
        assert_eq!(
            kinds("a.b / 100"),
            vec![
                (IDENT, "a"),
                (DOT, "."),
                (IDENT, "b"),
                (SLASH, "/"),
                (NUMBER, "100")
            ]
        );
        assert_eq!(kinds("= /unclosed")[1].0, SLASH);
    }

    #[test]
    fn dates_params_placeholders_and_smart_classes() {
        assert_eq!(
            kinds("date(2019-10-30T10:00:00Z) date.now-7days ${ param.x } {{name}} #CriticalAsset"),
            vec![
                (DATE_LITERAL, "date(2019-10-30T10:00:00Z)"),
                (DATE_NOW, "date.now"),
                (MINUS, "-"),
                (NUMBER, "7"),
                (IDENT, "days"),
                (PARAM, "${ param.x }"),
                (TEMPLATE, "{{name}}"),
                (SMART_CLASS_NAME, "#CriticalAsset"),
            ]
        );
    }

    #[test]
    fn strings_with_escapes_and_unterminated() {
        assert_eq!(kinds(r#"'it\'s' "a\"b""#).len(), 2);
        let (tokens, errors) = tokenize("'abc\nFIND");
        assert_eq!(tokens[0].kind, STRING);
        assert_eq!(u32::from(tokens[0].range.end()), 4);
        assert_eq!(errors[0].code, ErrorCode::UnterminatedString);
    }

    #[test]
    fn unknown_characters_merge_into_one_error() {
        let (tokens, errors) = tokenize("a \u{201c}\u{201c} b");
        assert_eq!(tokens[2].kind, ERROR_TOKEN);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("curly quotes"));
    }

    #[test]
    fn comments_are_trivia() {
        let (tokens, errors) = tokenize("a // x\n/* y */ /* z");
        let kinds: Vec<_> = tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                IDENT,
                WHITESPACE,
                LINE_COMMENT,
                WHITESPACE,
                BLOCK_COMMENT,
                WHITESPACE,
                BLOCK_COMMENT
            ]
        );
        assert_eq!(errors[0].code, ErrorCode::UnterminatedComment);
    }
}
