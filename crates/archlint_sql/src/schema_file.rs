//! `.sql` files (migrations, schema dumps) to schema operations: split into
//! statements, keep only those that can change the schema model (CREATE
//! TABLE/INDEX, ALTER TABLE/INDEX, DROP TABLE/INDEX, RENAME TABLE), parse
//! each on its own, and lower it. Data (`INSERT`, `COPY`), settings,
//! functions, grants and comments are not even parsed.
//!
//! A statement that does not parse becomes a [`SqlProblem`]; a CREATE TABLE
//! that fails still declares its table (as partial), and a failed CREATE
//! INDEX or ALTER TABLE marks its table partial, so no rule trusts an index
//! list we may have missed part of. A failing multi-clause ALTER TABLE is
//! retried clause by clause (pg_dump's `ALTER COLUMN ... ADD GENERATED ...
//! AS IDENTITY` is beyond sqlparser, but must not hide the clauses beside
//! it); clauses that cannot affect the model fail silently.

use crate::ddl;
use crate::lexer::{Kind, Lexer, Token, tokens};
use crate::names::StmtCtx;
use crate::parse::parse;
use crate::positions::Positions;
use crate::problem::SqlProblem;
use crate::split::split;
use archlint_model::{Dialect, Location, SchemaOp, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    CreateTable,
    CreateIndex,
    AlterTable,
    Other,
}

pub(crate) fn parse_schema(
    text: &str,
    path: &str,
    dialect: Dialect,
) -> (Vec<SchemaOp>, Vec<SqlProblem>) {
    let positions = Positions::new(text);
    let mut ops = Vec::new();
    let mut problems = Vec::new();
    for piece in split(text, dialect) {
        let original = &text[piece.start..piece.end];
        // Classify from the first words only: a dump's multi-megabyte INSERT
        // is skipped without lexing it again.
        let head: Vec<Token> = head_tokens(original, dialect, 8);
        if classify(original, &head, false).is_none() {
            continue;
        }
        let toks: Vec<Token> = tokens(original, dialect)
            .into_iter()
            .filter(Token::is_significant)
            .collect();
        let Some(class) = classify(original, &toks, true) else {
            continue;
        };
        let prepared = prepare(original, &toks);
        let cx = StmtCtx {
            path,
            positions: &positions,
            text: &prepared,
            base: piece.start,
            at: Location {
                path: path.to_string(),
                span: Span::new(positions.pos(piece.start), positions.pos(piece.end)),
            },
            dialect,
        };
        match parse(&prepared, dialect) {
            Ok(stmts) => {
                for s in &stmts {
                    ddl::lower(s, &cx, &mut ops);
                }
            }
            Err(_) if class == Class::AlterTable && clauses(&prepared, &toks).is_some() => {
                salvage_alter(&prepared, &toks, &cx, &mut ops, &mut problems);
            }
            Err(failure) => {
                problems.push(SqlProblem {
                    kind: failure.kind,
                    message: failure.message,
                    pos: positions.pos(piece.start + failure.offset),
                });
                if let Some(table) = target_table(original, &toks, class) {
                    ops.push(match class {
                        Class::CreateTable => SchemaOp::CreateTable {
                            table,
                            if_not_exists: false,
                            columns: Vec::new(),
                            indexes: Vec::new(),
                            foreign_keys: Vec::new(),
                            partial: true,
                            at: cx.at.clone(),
                        },
                        _ => SchemaOp::Unparsed {
                            table,
                            at: cx.at.clone(),
                        },
                    });
                }
            }
        }
    }
    (ops, problems)
}

fn word(src: &str, t: Option<&Token>) -> String {
    match t {
        Some(t) if t.kind == Kind::Word => t.text(src).to_ascii_uppercase(),
        _ => String::new(),
    }
}

/// The first `n` significant tokens.
fn head_tokens(src: &str, dialect: Dialect, n: usize) -> Vec<Token> {
    let mut lx = Lexer::new(src, dialect);
    std::iter::from_fn(|| lx.next_token())
        .filter(Token::is_significant)
        .take(n)
        .collect()
}

/// Which statements can change the schema model; `None` for the rest.
/// `complete` says whether `toks` holds the whole statement (ALTER INDEX
/// needs to see a RENAME anywhere in it).
fn classify(src: &str, toks: &[Token], complete: bool) -> Option<Class> {
    let w = |i: usize| word(src, toks.get(i));
    match w(0).as_str() {
        "CREATE" => {
            let mut i = 1;
            if w(i) == "OR" && w(i + 1) == "REPLACE" {
                i += 2;
            }
            while matches!(
                w(i).as_str(),
                "GLOBAL" | "LOCAL" | "TEMP" | "TEMPORARY" | "UNLOGGED" | "UNIQUE"
            ) {
                i += 1;
            }
            match w(i).as_str() {
                "TABLE" => Some(Class::CreateTable),
                "INDEX" => Some(Class::CreateIndex),
                _ => None,
            }
        }
        "ALTER" if w(1) == "TABLE" => Some(Class::AlterTable),
        "ALTER"
            if w(1) == "INDEX" && (!complete || toks.iter().any(|t| t.is_word(src, "RENAME"))) =>
        {
            Some(Class::Other)
        }
        "DROP" if matches!(w(1).as_str(), "TABLE" | "INDEX") => Some(Class::Other),
        "DROP" if w(1) == "TEMPORARY" && w(2) == "TABLE" => Some(Class::Other),
        "RENAME" if w(1) == "TABLE" => Some(Class::Other),
        _ => None,
    }
}

/// Blanks what sqlparser does not accept but the model does not need:
/// `DROP INDEX CONCURRENTLY` and pg_dump's `CREATE INDEX ... ON ONLY t`.
/// Blanking with spaces keeps every offset.
fn prepare(src: &str, toks: &[Token]) -> String {
    let mut out = src.to_string();
    let mut blank = |t: &Token| out.replace_range(t.start..t.end, &" ".repeat(t.end - t.start));
    if toks.len() > 2
        && toks[0].is_word(src, "DROP")
        && toks[1].is_word(src, "INDEX")
        && toks[2].is_word(src, "CONCURRENTLY")
    {
        blank(&toks[2]);
    }
    if toks.first().is_some_and(|t| t.is_word(src, "CREATE")) {
        for pair in toks.windows(2) {
            if pair[0].is_word(src, "ON") && pair[1].is_word(src, "ONLY") {
                blank(&pair[1]);
                break;
            }
        }
    }
    out
}

/// The table a statement is about: the dotted name after `TABLE [IF [NOT]
/// EXISTS] [ONLY]` or, for CREATE INDEX, after `ON [ONLY]`.
fn target_table(src: &str, toks: &[Token], class: Class) -> Option<String> {
    let anchor = match class {
        Class::CreateIndex => "ON",
        _ => "TABLE",
    };
    let mut i = toks.iter().position(|t| t.is_word(src, anchor))? + 1;
    while ["IF", "NOT", "EXISTS", "ONLY"]
        .iter()
        .any(|k| toks.get(i).is_some_and(|t| t.is_word(src, k)))
    {
        i += 1;
    }
    let mut name = String::new();
    loop {
        let t = toks.get(i)?;
        match t.kind {
            Kind::Word => name.push_str(t.text(src)),
            Kind::QuotedIdent => {
                let q = t.text(src);
                name.push_str(q.get(1..q.len().saturating_sub(1)).unwrap_or(""));
            }
            _ => return None,
        }
        if toks.get(i + 1).is_some_and(|t| t.kind == Kind::Punct('.')) {
            name.push('.');
            i += 2;
        } else {
            return (!name.is_empty()).then_some(name);
        }
    }
}

/// Byte ranges of the top-level clauses of an ALTER TABLE, and the end of
/// its header (`ALTER TABLE [IF EXISTS] [ONLY] name`).
fn clauses(src: &str, toks: &[Token]) -> Option<(usize, Vec<(usize, usize)>)> {
    let mut i = 2;
    while ["IF", "EXISTS", "ONLY"]
        .iter()
        .any(|k| toks.get(i).is_some_and(|t| t.is_word(src, k)))
    {
        i += 1;
    }
    // The dotted name.
    i += 1;
    while toks.get(i).is_some_and(|t| t.kind == Kind::Punct('.')) {
        i += 2;
    }
    let header_end = toks.get(i.checked_sub(1)?)?.end;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start: Option<usize> = None;
    let mut end = 0;
    for t in toks.get(i..)? {
        match t.kind {
            Kind::Punct('(') => depth += 1,
            Kind::Punct(')') => depth = depth.saturating_sub(1),
            Kind::Punct(',') if depth == 0 => {
                if let Some(s) = start.take() {
                    out.push((s, end));
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(t.start);
        end = t.end;
    }
    if let Some(s) = start {
        out.push((s, end));
    }
    Some((header_end, out))
}

/// Re-parses each clause of a failed ALTER TABLE as its own statement (the
/// text around it blanked, so offsets hold); relevant clauses that still
/// fail are reported and mark the table partial, the others (ALTER COLUMN,
/// OWNER TO, SET ...) are dropped silently.
fn salvage_alter(
    src: &str,
    toks: &[Token],
    cx: &StmtCtx<'_>,
    ops: &mut Vec<SchemaOp>,
    problems: &mut Vec<SqlProblem>,
) {
    let Some((header_end, list)) = clauses(src, toks) else {
        return;
    };
    for (start, end) in list {
        let relevant = src[start..end].split_whitespace().next().is_some_and(|w| {
            ["ADD", "DROP", "RENAME", "CHANGE"]
                .iter()
                .any(|k| w.eq_ignore_ascii_case(k))
        });
        if !relevant {
            continue;
        }
        let text = blank_outside(src, header_end, start, end);
        match parse(&text, cx.dialect) {
            Ok(stmts) => {
                let sub = StmtCtx {
                    path: cx.path,
                    positions: cx.positions,
                    text: &text,
                    base: cx.base,
                    at: cx.at.clone(),
                    dialect: cx.dialect,
                };
                for s in &stmts {
                    ddl::lower(s, &sub, ops);
                }
            }
            Err(failure) => {
                problems.push(SqlProblem {
                    kind: failure.kind,
                    message: failure.message,
                    pos: cx.positions.pos(cx.base + failure.offset),
                });
                if let Some(table) = target_table(src, toks, Class::AlterTable) {
                    ops.push(SchemaOp::Unparsed {
                        table,
                        at: cx.at.clone(),
                    });
                }
            }
        }
    }
}

/// `src` with everything but `..header_end` and `start..end` turned into
/// spaces, byte for byte (newlines kept), so byte offsets still match.
fn blank_outside(src: &str, header_end: usize, start: usize, end: usize) -> String {
    let mut out = String::with_capacity(src.len());
    for (i, c) in src.char_indices() {
        if i < header_end || (start..end).contains(&i) || c == '\n' {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    out
}
