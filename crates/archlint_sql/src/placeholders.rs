//! Placeholder normalisation: drivers write bound parameters as `$1`, `?`,
//! `?1`, `%s`, `%(name)s`, `:name` or `@name`; sqlparser takes `$1`, `:name`
//! and `@name` in every dialect, `?`/`?1` everywhere but PostgreSQL (where
//! `?` is a jsonb operator), and `%s` nowhere. So `%s`-style holes become `?`
//! (`$n` for PostgreSQL) and, for PostgreSQL, `?` in a value position
//! becomes `$n`; `@name` becomes the dialect's placeholder everywhere
//! (PostgreSQL would read it as its absolute-value operator applied to a
//! column). Replacements never span lines and are padded to the
//! original length where they are shorter; the edits are kept so error
//! columns map back to the original text.

use crate::lexer::{Kind, Lexer, Token};
use archlint_model::Dialect;

pub(crate) struct Normalized {
    pub text: String,
    /// `(normalized offset, original offset)` at the end of each edit, ascending.
    edits: Vec<(usize, usize)>,
}

impl Normalized {
    /// The original offset of a normalized one.
    pub fn original(&self, offset: usize) -> usize {
        match self.edits.iter().rev().find(|(n, _)| *n <= offset) {
            Some((n, o)) => o + (offset - n),
            None => offset,
        }
    }
}

/// Words after which `?` starts a value, not a jsonb operator.
const VALUE_KEYWORDS: &[&str] = &[
    "AND", "BETWEEN", "BY", "ELSE", "ILIKE", "IN", "IS", "LIKE", "LIMIT", "NOT", "OFFSET", "OR",
    "RETURN", "SELECT", "SET", "THEN", "VALUES", "WHEN", "WHERE",
];

pub(crate) fn normalize(text: &str, dialect: Dialect) -> Normalized {
    let mut out = String::with_capacity(text.len() + 8);
    let mut edits = Vec::new();
    let mut copied = 0usize;
    let mut count = 0usize;
    let mut prev: Option<Token> = None;
    let mut lx = Lexer::new(text, dialect);
    while let Some(tok) = lx.next_token() {
        // psycopg's `IN %s` (a tuple) and SQLAlchemy's expanding `IN :ids`
        // need parentheses for sqlparser.
        let after_in = prev.is_some_and(|p| p.is_word(text, "IN"));
        let replacement = match tok.kind {
            Kind::Punct('%') => percent_placeholder(text, tok.start).map(|end| {
                count += 1;
                lx.pos = end;
                (end, numbered(dialect, count, None))
            }),
            Kind::Punct('@') if value_position(text, prev) && !text[..tok.start].ends_with('@') => {
                let name_end = text[tok.end..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(text.len(), |i| tok.end + i);
                let starts_name = text[tok.end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_');
                starts_name.then(|| {
                    count += 1;
                    lx.pos = name_end;
                    (name_end, numbered(dialect, count, None))
                })
            }
            Kind::Punct('?') if dialect == Dialect::Postgres && value_position(text, prev) => {
                let digits_end = text[tok.end..]
                    .find(|c: char| !c.is_ascii_digit())
                    .map_or(text.len(), |i| tok.end + i);
                let next = text[digits_end..].chars().next();
                if matches!(next, Some('|' | '&' | '-' | '#')) {
                    None
                } else {
                    count += 1;
                    lx.pos = digits_end;
                    let explicit = &text[tok.end..digits_end];
                    Some((digits_end, numbered(dialect, count, Some(explicit))))
                }
            }
            Kind::Punct(':' | '$' | '?') if after_in => {
                let end = text[tok.end..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(text.len(), |i| tok.end + i);
                (end > tok.end || tok.kind == Kind::Punct('?')).then(|| {
                    lx.pos = end;
                    (end, text[tok.start..end].to_string())
                })
            }
            _ => None,
        };
        // Repeated, so the shape records a list (`In`), not one value (`Eq`).
        let replacement = replacement.map(|(end, rep)| {
            if after_in {
                (end, format!("({rep}, {rep})"))
            } else {
                (end, rep)
            }
        });
        if let Some((end, mut rep)) = replacement {
            out.push_str(&text[copied..tok.start]);
            let original_len = end - tok.start;
            while rep.len() < original_len {
                rep.push(' ');
            }
            out.push_str(&rep);
            copied = end;
            edits.push((out.len(), end));
            prev = Some(Token {
                kind: Kind::Number,
                start: tok.start,
                end,
            });
        } else if tok.is_significant() {
            prev = Some(tok);
        }
    }
    out.push_str(&text[copied..]);
    Normalized { text: out, edits }
}

fn numbered(dialect: Dialect, n: usize, explicit: Option<&str>) -> String {
    match dialect {
        Dialect::Postgres => match explicit {
            Some(d) if !d.is_empty() => format!("${d}"),
            _ => format!("${n}"),
        },
        _ => "?".to_string(),
    }
}

/// End of `%s`, `%b`, `%t` or `%(name)s` starting at `start`.
fn percent_placeholder(text: &str, start: usize) -> Option<usize> {
    let rest = &text.as_bytes()[start + 1..];
    let is_conv = |b: u8| matches!(b, b's' | b'b' | b't');
    let word_follows = |i: usize| {
        rest.get(i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    match rest.first()? {
        b if is_conv(*b) && !word_follows(1) => Some(start + 2),
        b'(' => {
            let close = rest.iter().position(|b| *b == b')')?;
            let name = &rest[1..close];
            let ok =
                !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
            let conv = rest.get(close + 1).copied()?;
            (ok && is_conv(conv) && !word_follows(close + 2)).then_some(start + close + 3)
        }
        _ => None,
    }
}

/// Whether the previous token ends an operand (then `?` is an operator).
fn value_position(text: &str, prev: Option<Token>) -> bool {
    let Some(prev) = prev else {
        return true;
    };
    match prev.kind {
        Kind::Punct(c) => !matches!(c, ')' | ']'),
        Kind::Word => VALUE_KEYWORDS
            .iter()
            .any(|k| prev.text(text).eq_ignore_ascii_case(k)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_styles_become_dialect_placeholders() {
        let n = normalize("a = %s AND b = %(name)s AND c LIKE '%s'", Dialect::Postgres);
        assert_eq!(n.text, "a = $1 AND b = $2       AND c LIKE '%s'");
        let n = normalize("a = %s AND b IN (%(x)s)", Dialect::Mysql);
        assert_eq!(n.text, "a = ?  AND b IN (?    )");
        assert_eq!(n.original(9), 9);
    }

    #[test]
    fn question_marks_in_postgres() {
        let n = normalize(
            "SELECT * FROM t WHERE a = ? AND b = ?3 AND data ? 'k' AND d ?| array['x']",
            Dialect::Postgres,
        );
        assert_eq!(
            n.text,
            "SELECT * FROM t WHERE a = $1 AND b = $3 AND data ? 'k' AND d ?| array['x']"
        );
        // Columns after the longer replacement map back.
        let after = n.text.find("AND b").unwrap();
        assert_eq!(n.original(after), "SELECT * FROM t WHERE a = ? ".len());
        let n = normalize("x = ?", Dialect::Sqlite);
        assert_eq!(n.text, "x = ?");
        let n = normalize(
            "a IN %s AND b IN :ids AND c IN $3 AND d IN (?)",
            Dialect::Postgres,
        );
        assert_eq!(
            n.text,
            "a IN ($1, $1) AND b IN (:ids, :ids) AND c IN ($3, $3) AND d IN ($2)"
        );
        let n = normalize("a IN ? AND b IN (%s)", Dialect::Mysql);
        assert_eq!(n.text, "a IN (?, ?) AND b IN (? )");
        let n = normalize("x = @name AND y @> z AND @@version", Dialect::Postgres);
        assert_eq!(n.text, "x = $1    AND y @> z AND @@version");
    }
}
