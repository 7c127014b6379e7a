//! A small, total SQL lexer: just enough to split statements, find
//! placeholders and bound nesting without sqlparser. It knows quotes
//! (with each dialect's escapes), dollar quoting, comments, words and single
//! punctuation; anything else is one punctuation token. It never fails: an
//! unterminated quote or comment runs to the end of the input.

use archlint_model::Dialect;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Identifier or keyword (`[A-Za-z_]` or non-ASCII, then word characters and `$`).
    Word,
    /// A digit run (with dots and exponent letters as the word rule allows).
    Number,
    /// `'...'`, `E'...'` and, in MySQL, `"..."`.
    Str,
    /// `"..."` (not MySQL), `` `...` ``.
    QuotedIdent,
    /// `$tag$ ... $tag$` (PostgreSQL, generic).
    Dollar,
    LineComment,
    BlockComment,
    /// A run of whitespace.
    Space,
    /// Any other single character.
    Punct(char),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    /// Not whitespace or a comment.
    pub fn is_significant(&self) -> bool {
        !matches!(
            self.kind,
            Kind::Space | Kind::LineComment | Kind::BlockComment
        )
    }

    /// A word equal to `kw`, ignoring ASCII case.
    pub fn is_word(&self, src: &str, kw: &str) -> bool {
        self.kind == Kind::Word && self.text(src).eq_ignore_ascii_case(kw)
    }
}

/// Lexes `src` from byte offset `pos` on demand (the statement splitter moves
/// `pos` itself to skip `COPY` data and custom delimiters).
#[derive(Clone)]
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pub pos: usize,
    dialect: Dialect,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str, dialect: Dialect) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            dialect,
        }
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// The next token, or `None` at the end.
    pub fn next_token(&mut self) -> Option<Token> {
        let start = self.pos;
        let b = self.byte(start)?;
        let kind = match b {
            b'\'' => {
                let backslash = self.dialect == Dialect::Mysql;
                self.pos = self.quoted(start + 1, b'\'', backslash);
                Kind::Str
            }
            b'"' => {
                let mysql = self.dialect == Dialect::Mysql;
                self.pos = self.quoted(start + 1, b'"', mysql);
                if mysql { Kind::Str } else { Kind::QuotedIdent }
            }
            b'`' => {
                self.pos = self.quoted(start + 1, b'`', false);
                Kind::QuotedIdent
            }
            b'-' if self.byte(start + 1) == Some(b'-') => {
                self.pos = self.line_end(start);
                Kind::LineComment
            }
            b'#' if self.dialect == Dialect::Mysql => {
                self.pos = self.line_end(start);
                Kind::LineComment
            }
            b'/' if self.byte(start + 1) == Some(b'*') => {
                self.pos = self.block_comment(start);
                Kind::BlockComment
            }
            b'$' if self.dollar_quotes() && !self.after_word_char(start) => {
                match self.dollar_tag(start) {
                    Some(tag_end) => {
                        let tag = &self.src[start..tag_end];
                        self.pos = match self.src[tag_end..].find(tag) {
                            Some(i) => tag_end + i + tag.len(),
                            None => self.src.len(),
                        };
                        Kind::Dollar
                    }
                    None => self.punct(start),
                }
            }
            b'E' | b'e'
                if self.byte(start + 1) == Some(b'\'')
                    && self.dialect != Dialect::Mysql
                    && !self.after_word_char(start) =>
            {
                // PostgreSQL escape string: backslash escapes apply.
                self.pos = self.quoted(start + 2, b'\'', true);
                Kind::Str
            }
            c if c.is_ascii_whitespace() => {
                let mut i = start;
                while self.byte(i).is_some_and(|c| c.is_ascii_whitespace()) {
                    i += 1;
                }
                self.pos = i;
                Kind::Space
            }
            c if c.is_ascii_digit() => {
                self.pos = self.word_end(start);
                Kind::Number
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                self.pos = self.word_end(start);
                Kind::Word
            }
            _ => self.punct(start),
        };
        Some(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    fn dollar_quotes(&self) -> bool {
        matches!(self.dialect, Dialect::Postgres | Dialect::Generic)
    }

    fn after_word_char(&self, i: usize) -> bool {
        i > 0
            && self
                .byte(i - 1)
                .is_some_and(|c| c == b'_' || c == b'$' || c.is_ascii_alphanumeric() || c >= 0x80)
    }

    /// End of `$tag$` starting at `start`, when it is one (`$1` is not).
    fn dollar_tag(&self, start: usize) -> Option<usize> {
        let mut i = start + 1;
        if self.byte(i).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        while let Some(c) = self.byte(i) {
            if c == b'$' {
                return Some(i + 1);
            }
            if !(c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80) {
                return None;
            }
            i += 1;
        }
        None
    }

    fn punct(&mut self, start: usize) -> Kind {
        let c = self.src[start..].chars().next().unwrap_or('\0');
        self.pos = start + c.len_utf8().max(1);
        Kind::Punct(c)
    }

    /// End (exclusive) of a quoted run whose body starts at `i`; a doubled
    /// quote is an escaped quote, and so is a backslash-escaped one when
    /// `backslash` is set.
    fn quoted(&self, mut i: usize, quote: u8, backslash: bool) -> usize {
        while let Some(c) = self.byte(i) {
            if backslash && c == b'\\' {
                i += 2;
                continue;
            }
            if c == quote {
                if self.byte(i + 1) == Some(quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i += 1;
        }
        self.bytes.len()
    }

    fn line_end(&self, start: usize) -> usize {
        match self.src[start..].find('\n') {
            Some(i) => start + i,
            None => self.src.len(),
        }
    }

    /// End of a block comment; PostgreSQL nests them, the others do not.
    fn block_comment(&self, start: usize) -> usize {
        let nests = self.dialect == Dialect::Postgres;
        let mut depth = 0usize;
        let mut i = start;
        while i + 1 < self.bytes.len() {
            match (self.bytes[i], self.bytes[i + 1]) {
                (b'/', b'*') => {
                    depth = if nests || depth == 0 {
                        depth + 1
                    } else {
                        depth
                    };
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return i;
                    }
                }
                _ => i += 1,
            }
        }
        self.bytes.len()
    }

    fn word_end(&self, start: usize) -> usize {
        let mut i = start;
        while let Some(c) = self.byte(i) {
            if c == b'_' || c == b'$' || c.is_ascii_alphanumeric() {
                i += 1;
            } else if c >= 0x80 {
                // Advance by whole characters so slicing stays on boundaries.
                let ch = self.src[i..].chars().next();
                i += ch.map_or(1, char::len_utf8);
            } else {
                break;
            }
        }
        i.max(start + 1).min(self.bytes.len())
    }
}

/// All tokens of `src`.
pub(crate) fn tokens(src: &str, dialect: Dialect) -> Vec<Token> {
    let mut lexer = Lexer::new(src, dialect);
    let mut out = Vec::new();
    while let Some(t) = lexer.next_token() {
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, d: Dialect) -> Vec<(Kind, &str)> {
        tokens(src, d)
            .into_iter()
            .filter(Token::is_significant)
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn quotes_and_comments() {
        let src = "SELECT 'a;''b', \"x;y\" -- c;\n/* d; /* e */ f; */ $f$ g; $f$ $1";
        let k = kinds(src, Dialect::Postgres);
        assert_eq!(
            k,
            vec![
                (Kind::Word, "SELECT"),
                (Kind::Str, "'a;''b'"),
                (Kind::Punct(','), ","),
                (Kind::QuotedIdent, "\"x;y\""),
                (Kind::Dollar, "$f$ g; $f$"),
                (Kind::Punct('$'), "$"),
                (Kind::Number, "1"),
            ]
        );
    }

    #[test]
    fn mysql_backslashes_hash_comments_and_double_quoted_strings() {
        let src = "SELECT 'it\\'s;', \"a\\\";\" # x;\n`t;`";
        let k = kinds(src, Dialect::Mysql);
        assert_eq!(k[1], (Kind::Str, "'it\\'s;'"));
        assert_eq!(k[3], (Kind::Str, "\"a\\\";\""));
        assert_eq!(k[4], (Kind::QuotedIdent, "`t;`"));
        // MySQL comments do not nest.
        let k = kinds("/* a /* b */ c", Dialect::Mysql);
        assert_eq!(k, vec![(Kind::Word, "c")]);
    }

    #[test]
    fn escape_strings_and_unterminated_input() {
        let k = kinds("E'a\\'b' x", Dialect::Postgres);
        assert_eq!(k, vec![(Kind::Str, "E'a\\'b'"), (Kind::Word, "x")]);
        for src in ["'abc", "\"abc", "/* abc", "$a$ abc", "é", "\u{0}\u{1}"] {
            let toks = tokens(src, Dialect::Postgres);
            assert_eq!(toks.last().map(|t| t.end), Some(src.len()), "{src:?}");
        }
    }
}
