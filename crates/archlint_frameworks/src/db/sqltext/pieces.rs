//! SQL text as it is rebuilt from code: constant pieces and holes, joined
//! from literals, constants, local variables and the string builders of each
//! language, then turned into the model's [`SqlText`].

use archlint_model::{Hole, Location, SqlText, TextBuilder};

/// Longest text kept; anything longer is cut (huge generated strings are not
/// queries worth parsing, and concatenation in loops must not grow without end).
const MAX_TEXT: usize = 64 * 1024;
/// Most holes kept; more are merged into the last one.
const MAX_HOLES: usize = 256;

/// A piece of rebuilt SQL text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    /// A value inserted at runtime, with the builder that inserted it.
    Hole(Hole, TextBuilder),
}

/// SQL text with holes, and where its first literal is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pieces {
    pub parts: Vec<Piece>,
    /// Where the (first) literal of the text is written.
    pub at: Option<Location>,
}

impl Pieces {
    /// A constant text written at `at`.
    pub fn lit(text: impl Into<String>, at: Option<Location>) -> Self {
        let mut p = Pieces {
            parts: Vec::new(),
            at,
        };
        p.push_lit(&text.into());
        p
    }

    /// One hole.
    pub fn hole(hole: Hole, builder: TextBuilder) -> Self {
        let mut p = Pieces::default();
        p.push_hole(hole, builder);
        p
    }

    fn len(&self) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => s.len(),
                Piece::Hole(..) => 1,
            })
            .sum()
    }

    /// Appends constant text.
    pub fn push_lit(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let room = MAX_TEXT.saturating_sub(self.len());
        let mut cut = text.len().min(room);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = &text[..cut];
        match self.parts.last_mut() {
            Some(Piece::Lit(s)) => s.push_str(text),
            _ if !text.is_empty() => self.parts.push(Piece::Lit(text.to_string())),
            _ => {}
        }
    }

    /// Appends a hole.
    pub fn push_hole(&mut self, hole: Hole, builder: TextBuilder) {
        if self.holes().count() >= MAX_HOLES {
            return;
        }
        self.parts.push(Piece::Hole(hole, builder));
    }

    /// Appends another text; keeps this one's `at` unless it has none.
    pub fn append(&mut self, other: Pieces) {
        if self.at.is_none() {
            self.at = other.at;
        }
        for p in other.parts {
            match p {
                Piece::Lit(s) => self.push_lit(&s),
                Piece::Hole(h, b) => self.push_hole(h, b),
            }
        }
    }

    /// The holes, in order.
    pub fn holes(&self) -> impl Iterator<Item = &Hole> {
        self.parts.iter().filter_map(|p| match p {
            Piece::Hole(h, _) => Some(h),
            Piece::Lit(_) => None,
        })
    }

    /// The whole text when there is no hole.
    pub fn constant(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Hole(..) => return None,
            }
        }
        Some(out)
    }

    /// The constant fragments, one more than the holes.
    pub fn fragments(&self) -> Vec<String> {
        let mut out = vec![String::new()];
        for p in &self.parts {
            match p {
                Piece::Lit(s) => {
                    if let Some(last) = out.last_mut() {
                        last.push_str(s);
                    }
                }
                Piece::Hole(..) => out.push(String::new()),
            }
        }
        out
    }

    /// The text with holes left out, for a first look (is it SQL at all?).
    pub fn text_without_holes(&self) -> String {
        self.fragments().join(" ")
    }

    /// The model's text: `Constant` without holes, else `Dynamic` with the
    /// builder that inserted the first of the worst-tainted holes (the one a
    /// finding talks about).
    pub fn into_sql_text(self) -> SqlText {
        if let Some(text) = self.constant() {
            return SqlText::Constant(text);
        }
        let fragments = self.fragments();
        let mut builder: Option<(archlint_model::Taint, TextBuilder)> = None;
        let mut holes = Vec::new();
        for p in self.parts {
            if let Piece::Hole(h, b) = p {
                if builder.is_none_or(|(t, _)| h.taint > t) {
                    builder = Some((h.taint, b));
                }
                holes.push(h);
            }
        }
        SqlText::Dynamic {
            builder: builder.map_or(TextBuilder::Concat, |(_, b)| b),
            fragments,
            holes,
        }
    }
}

/// Which argument a placeholder of a format string takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// The next positional argument (`%s`, `{}`).
    Next,
    /// A positional argument by index (`{0}`).
    Index(usize),
    /// A named argument (`%(name)s`, `{name}`, `{name.attr}` gives `name`).
    Name(String),
}

/// A parsed format string: literal text and placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fmt {
    Lit(String),
    Slot(Slot),
}

fn push_lit(out: &mut Vec<Fmt>, c: &str) {
    match out.last_mut() {
        Some(Fmt::Lit(s)) => s.push_str(c),
        _ => out.push(Fmt::Lit(c.to_string())),
    }
}

/// Python `%` formatting: `%s`, `%d`, `%(name)s`, flags and widths; `%%` is `%`.
pub fn parse_percent(fmt: &str) -> Vec<Fmt> {
    let mut out = Vec::new();
    let mut rest = fmt;
    while let Some(i) = rest.find('%') {
        push_lit(&mut out, &rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('%') {
            push_lit(&mut out, "%");
            rest = r;
            continue;
        }
        let (name, spec) = match after.strip_prefix('(') {
            Some(inner) => match inner.split_once(')') {
                Some((n, s)) => (Some(n), s),
                None => (None, after),
            },
            None => (None, after),
        };
        let flags_end = spec
            .find(|c: char| !matches!(c, '-' | '+' | ' ' | '#' | '0'..='9' | '.' | '*'))
            .unwrap_or(spec.len());
        let conv = spec[flags_end..].chars().next();
        match conv {
            Some(c) if "sdifrxXoeEgGcua".contains(c) => {
                out.push(Fmt::Slot(match name {
                    Some(n) => Slot::Name(n.to_string()),
                    None => Slot::Next,
                }));
                rest = &spec[flags_end + c.len_utf8()..];
            }
            _ => {
                // Not a conversion: a literal `%` (as in `LIKE 'a%'`).
                push_lit(&mut out, "%");
                rest = after;
            }
        }
    }
    push_lit(&mut out, rest);
    out.retain(|f| !matches!(f, Fmt::Lit(s) if s.is_empty()));
    out
}

/// Python `str.format` and Rust `format!` strings: `{}`, `{0}`, `{name}`,
/// `{name.attr}`, `{0[key]}`, conversions and specs (`{x!r:>10}`,
/// `{:?}`); `{{` and `}}` are braces.
pub fn parse_braces(fmt: &str) -> Vec<Fmt> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = fmt.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let Some(close) = fmt[i + 1..].find('}') else {
                    lit.push_str(&fmt[i..]);
                    break;
                };
                let field = &fmt[i + 1..i + 1 + close];
                // Skip to after the closing brace.
                while chars.peek().is_some_and(|&(j, _)| j <= i + close + 1) {
                    chars.next();
                }
                if !lit.is_empty() {
                    out.push(Fmt::Lit(std::mem::take(&mut lit)));
                }
                let arg = field
                    .split([':', '!'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .split(['.', '['])
                    .next()
                    .unwrap_or("");
                let slot = if arg.is_empty() {
                    Slot::Next
                } else if let Ok(n) = arg.parse::<usize>() {
                    Slot::Index(n)
                } else {
                    Slot::Name(arg.to_string())
                };
                out.push(Fmt::Slot(slot));
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Fmt::Lit(lit));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::{Span, Taint};

    fn lit(s: &str) -> Fmt {
        Fmt::Lit(s.into())
    }

    #[test]
    fn percent_placeholders() {
        assert_eq!(
            parse_percent("a = %s AND b = %(b)s AND c LIKE 'x%%' AND d = %05.2f"),
            vec![
                lit("a = "),
                Fmt::Slot(Slot::Next),
                lit(" AND b = "),
                Fmt::Slot(Slot::Name("b".into())),
                lit(" AND c LIKE 'x%' AND d = "),
                Fmt::Slot(Slot::Next),
            ]
        );
        assert_eq!(parse_percent("LIKE 'a%'"), vec![lit("LIKE 'a%'")]);
    }

    #[test]
    fn brace_placeholders() {
        assert_eq!(
            parse_braces("{} {0} {name.x!r:>3} {{lit}} {:?}"),
            vec![
                Fmt::Slot(Slot::Next),
                lit(" "),
                Fmt::Slot(Slot::Index(0)),
                lit(" "),
                Fmt::Slot(Slot::Name("name".into())),
                lit(" {lit} "),
                Fmt::Slot(Slot::Next),
            ]
        );
        assert_eq!(parse_braces("{ unclosed"), vec![lit("{ unclosed")]);
    }

    #[test]
    fn pieces_become_sql_text() {
        let mut p = Pieces::lit("SELECT * FROM t WHERE a = ", None);
        let hole = Hole {
            text: "x".into(),
            span: Span::default(),
            taint: Taint::Parameter,
        };
        p.push_hole(hole.clone(), TextBuilder::FString);
        assert_eq!(p.fragments(), vec!["SELECT * FROM t WHERE a = ", ""]);
        match p.into_sql_text() {
            SqlText::Dynamic {
                builder,
                fragments,
                holes,
            } => {
                assert_eq!(builder, TextBuilder::FString);
                assert_eq!(fragments.len(), 2);
                assert_eq!(holes, vec![hole]);
            }
            other => panic!("{other:?}"),
        }
        let mut c = Pieces::lit("SELECT 1", None);
        c.push_lit(" LIMIT 1");
        assert_eq!(
            c.into_sql_text(),
            SqlText::Constant("SELECT 1 LIMIT 1".into())
        );
    }
}
