//! diesel's `schema.rs`: `table!` blocks (tables, columns, nullability,
//! primary keys, `#[sql_name]` renames) and `joinable!` lines (foreign keys),
//! read from the text the Rust extractor keeps for item macros.
//!
//! `schema.rs` describes the final state but says nothing of indexes, so its
//! tables are `partial` (rules never conclude an index is missing there) and
//! apply after every migration with `IF NOT EXISTS` semantics: a table the
//! migrations create keeps their definition; a project with only
//! `schema.rs` still gets its tables, columns and keys for the query shapes
//! and `archlint schema`.

use archlint_model::{
    Column, ForeignKey, Index, IndexColumn, IndexKind, ItemMacro, Language, Location, OrderKey,
    ProjectIndex, SchemaOp, SchemaSource, Span,
};

/// One `SchemaSource` per file with `table!` blocks, ordered after every
/// migration.
pub fn sources(index: &ProjectIndex) -> Vec<SchemaSource> {
    let mut out = Vec::new();
    for (fi, file) in index.project.files.iter().enumerate() {
        if file.language != Language::Rust || file.facts.item_macros.is_empty() {
            continue;
        }
        let loc = |span: Span| index.project.location(fi as u32, span);
        let mut tables: Vec<TableDecl> = Vec::new();
        let mut joins: Vec<Join> = Vec::new();
        for m in &file.facts.item_macros {
            match m.path.last().map(String::as_str) {
                Some("table") => tables.extend(parse_tables(m)),
                Some("joinable") => joins.extend(parse_joinable(m)),
                _ => {}
            }
        }
        if tables.is_empty() {
            continue;
        }
        let ops = tables
            .into_iter()
            .map(|t| create_table(t, &joins, &loc))
            .collect();
        out.push(SchemaSource {
            path: file.path.clone(),
            order: OrderKey::last(),
            ops,
        });
    }
    out
}

struct TableDecl {
    name: String,
    primary_key: Vec<(String, Span)>,
    columns: Vec<ColumnDecl>,
    span: Span,
}

struct ColumnDecl {
    name: String,
    type_text: String,
    nullable: bool,
    span: Span,
}

struct Join {
    child: String,
    parent: String,
    column: String,
    span: Span,
}

fn create_table(t: TableDecl, joins: &[Join], loc: &dyn Fn(Span) -> Location) -> SchemaOp {
    let pk: Vec<String> = t.primary_key.iter().map(|(c, _)| c.clone()).collect();
    let columns = t
        .columns
        .iter()
        .map(|c| Column {
            name: c.name.clone(),
            type_text: c.type_text.clone(),
            nullable: c.nullable && !pk.contains(&c.name),
            declared_at: loc(c.span),
        })
        .collect();
    let mut indexes = Vec::new();
    if let Some((_, first)) = t.primary_key.first() {
        indexes.push(Index {
            name: None,
            columns: pk.iter().cloned().map(IndexColumn::Column).collect(),
            unique: true,
            partial: false,
            kind: IndexKind::PrimaryKey,
            method: None,
            declared_at: loc(*first),
        });
    }
    let foreign_keys = joins
        .iter()
        .filter(|j| j.child == t.name)
        .map(|j| ForeignKey {
            name: None,
            columns: vec![j.column.clone()],
            ref_table: j.parent.clone(),
            ref_columns: Vec::new(),
            implicit_index: None,
            declared_at: loc(j.span),
        })
        .collect();
    SchemaOp::CreateTable {
        table: t.name,
        if_not_exists: true,
        columns,
        indexes,
        foreign_keys,
        partial: true,
        at: loc(t.span),
    }
}

/// A token of diesel's macro language, with its byte range in the body.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
    Arrow,
}

fn tokens(body: &str) -> Vec<(Tok, usize, usize)> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if body[i..].starts_with("//") {
            i = body[i..].find('\n').map_or(b.len(), |n| i + n);
        } else if body[i..].starts_with("/*") {
            i = body[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
        } else if body[i..].starts_with("->") {
            out.push((Tok::Arrow, i, i + 2));
            i += 2;
        } else if c == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            let text = body
                .get(start + 1..i.min(b.len()))
                .unwrap_or("")
                .to_string();
            i += 1;
            out.push((Tok::Str(text), start, i.min(b.len())));
        } else if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            let word = body.get(start..i).unwrap_or("");
            let word = word.strip_prefix("r#").unwrap_or(word);
            out.push((Tok::Ident(word.to_string()), start, i));
        } else {
            // `r#type`: the `#` right after an `r` identifier is part of it.
            if c == b'#'
                && let Some((Tok::Ident(w), s, e)) = out.last()
                && w == "r"
                && *e == i
                && b.get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_')
            {
                let start = *s;
                out.pop();
                i += 1;
                let word_start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let word = body.get(word_start..i).unwrap_or("").to_string();
                out.push((Tok::Ident(word), start, i));
                continue;
            }
            let ch = body[i..].chars().next().unwrap_or(' ');
            out.push((Tok::Punct(ch), i, i + ch.len_utf8()));
            i += ch.len_utf8();
        }
    }
    out
}

/// A cursor over the tokens of one macro body.
struct Reader<'m> {
    m: &'m ItemMacro,
    toks: Vec<(Tok, usize, usize)>,
    at: usize,
}

impl<'m> Reader<'m> {
    fn new(m: &'m ItemMacro) -> Self {
        Reader {
            m,
            toks: tokens(&m.body),
            at: 0,
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.0)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).map(|t| t.0.clone());
        self.at += 1;
        t
    }

    fn eat(&mut self, p: char) -> bool {
        if self.peek() == Some(&Tok::Punct(p)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        match self.peek() {
            Some(Tok::Ident(w)) => {
                let w = w.clone();
                self.at += 1;
                Some(w)
            }
            _ => None,
        }
    }

    /// The span of the token `back` places before the cursor.
    fn span_back(&self, back: usize) -> Span {
        let Some((_, s, e)) = self.at.checked_sub(back).and_then(|i| self.toks.get(i)) else {
            return self.m.span;
        };
        Span::new(self.m.pos_at(*s), self.m.pos_at(*e))
    }

    /// Skips to just after the matching close of the group opened by the
    /// token before the cursor (iteratively; unbalanced input ends the body).
    fn skip_group(&mut self, open: char, close: char) {
        let mut depth = 1usize;
        while let Some(t) = self.next() {
            match t {
                Tok::Punct(c) if c == open => depth += 1,
                Tok::Punct(c) if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// `#[sql_name = "..."]` and other attributes before a table or column:
    /// the SQL name when one is given.
    fn attributes(&mut self) -> Option<String> {
        let mut sql_name = None;
        while self.eat('#') {
            if !self.eat('[') {
                break;
            }
            let start = self.at;
            self.skip_group('[', ']');
            let inner = &self.toks[start..self.at.saturating_sub(1).max(start)];
            if let [
                (Tok::Ident(k), ..),
                (Tok::Punct('='), ..),
                (Tok::Str(v), ..),
            ] = inner
                && k == "sql_name"
            {
                sql_name = Some(v.clone());
            }
        }
        sql_name
    }
}

/// Every table of a `table!` body: `[schema.]name [(pk, ..)] { col -> Type, .. }`.
fn parse_tables(m: &ItemMacro) -> Vec<TableDecl> {
    let mut r = Reader::new(m);
    let mut out = Vec::new();
    if !(r.eat('{') || r.eat('(')) {
        return out;
    }
    loop {
        let sql_name = r.attributes();
        match r.peek() {
            None | Some(Tok::Punct('}' | ')')) => break,
            // `use diesel::sql_types::*;`
            Some(Tok::Ident(w)) if w == "use" => {
                while let Some(t) = r.next() {
                    if t == Tok::Punct(';') {
                        break;
                    }
                }
                continue;
            }
            Some(Tok::Ident(_)) => {}
            Some(_) => {
                r.next();
                continue;
            }
        }
        let Some(mut name) = r.ident() else { break };
        let mut span = r.span_back(1);
        if r.eat('.') {
            match r.ident() {
                Some(table) => {
                    name = format!("{name}.{table}");
                    span = r.span_back(1);
                }
                None => break,
            }
        }
        let mut primary_key = Vec::new();
        if r.eat('(') {
            while let Some(t) = r.next() {
                match t {
                    Tok::Ident(c) => primary_key.push((c, r.span_back(1))),
                    Tok::Punct(')') => break,
                    _ => {}
                }
            }
        }
        if !r.eat('{') {
            break;
        }
        let columns = parse_columns(&mut r);
        if primary_key.is_empty()
            && let Some(id) = columns.iter().find(|c| c.name == "id")
        {
            // diesel's default primary key.
            primary_key.push(("id".to_string(), id.span));
        }
        out.push(TableDecl {
            name: sql_name.unwrap_or(name),
            primary_key,
            columns,
            span,
        });
    }
    out
}

/// `name -> Type,` entries up to the table's closing brace.
fn parse_columns(r: &mut Reader) -> Vec<ColumnDecl> {
    let mut out = Vec::new();
    loop {
        let sql_name = r.attributes();
        let Some(name) = r.ident() else {
            // `}` ends the table; anything else is skipped.
            match r.next() {
                Some(Tok::Punct('}')) | None => break,
                _ => continue,
            }
        };
        let span = r.span_back(1);
        if r.peek() != Some(&Tok::Arrow) {
            continue;
        }
        r.next();
        let mut ty = String::new();
        let mut depth = 0usize;
        while let Some(t) = r.peek().cloned() {
            match t {
                Tok::Punct(',') | Tok::Punct('}') if depth == 0 => break,
                Tok::Punct('<') => depth += 1,
                Tok::Punct('>') => depth = depth.saturating_sub(1),
                _ => {}
            }
            r.next();
            match t {
                Tok::Ident(w) => ty.push_str(&w),
                Tok::Punct(c) => ty.push(c),
                Tok::Arrow => ty.push_str("->"),
                Tok::Str(s) => ty.push_str(&s),
            }
        }
        r.eat(',');
        let nullable = ty.starts_with("Nullable<") || ty.contains("::Nullable<");
        out.push(ColumnDecl {
            name: sql_name.unwrap_or(name),
            type_text: ty,
            nullable,
            span,
        });
    }
    out
}

/// `joinable!(child -> parent (column))`.
fn parse_joinable(m: &ItemMacro) -> Option<Join> {
    let mut r = Reader::new(m);
    if !r.eat('(') {
        return None;
    }
    let child = r.ident()?;
    if r.next()? != Tok::Arrow {
        return None;
    }
    let parent = r.ident()?;
    if !r.eat('(') {
        return None;
    }
    let column = r.ident()?;
    Some(Join {
        child,
        parent,
        column,
        span: m.span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use archlint_model::Pos;

    fn item(path: &str, body: &str) -> ItemMacro {
        ItemMacro {
            path: path.split("::").map(str::to_string).collect(),
            body: body.to_string(),
            body_start: Pos { line: 1, col: 1 },
            span: Span::default(),
        }
    }

    #[test]
    fn tables_columns_keys_and_renames() {
        let m = item(
            "diesel::table",
            r#"{
    use diesel::sql_types::*;
    use crate::types::Mood;

    /// Accounts.
    users (id) {
        id -> Int4,
        email -> Varchar,
        bio -> Nullable<Text>,
        #[sql_name = "type"]
        kind -> Varchar,
        r#ref -> Nullable<Array<Nullable<Int4>>>,
    }

    audit.events (user_id, at) {
        user_id -> Int4,
        at -> Timestamptz,
    }

    #[sql_name = "posts_v2"]
    posts {
        id -> BigInt,
        title -> diesel::sql_types::Nullable<Text>,
    }
}"#,
        );
        let t = parse_tables(&m);
        let names: Vec<&str> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["users", "audit.events", "posts_v2"]);
        let cols: Vec<(&str, &str, bool)> = t[0]
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.type_text.as_str(), c.nullable))
            .collect();
        assert_eq!(
            cols,
            [
                ("id", "Int4", false),
                ("email", "Varchar", false),
                ("bio", "Nullable<Text>", true),
                ("type", "Varchar", false),
                ("ref", "Nullable<Array<Nullable<Int4>>>", true),
            ]
        );
        let pk =
            |i: usize| -> Vec<&str> { t[i].primary_key.iter().map(|p| p.0.as_str()).collect() };
        assert_eq!(pk(0), ["id"]);
        assert_eq!(pk(1), ["user_id", "at"]);
        // No key given: diesel's default `id`.
        assert_eq!(pk(2), ["id"]);
        assert!(t[2].columns[1].nullable);
    }

    #[test]
    fn column_positions_point_into_the_file() {
        let mut m = item(
            "table",
            "{\n    users (id) {\n        id -> Int4,\n    }\n}",
        );
        m.body_start = Pos { line: 10, col: 8 };
        let t = parse_tables(&m);
        assert_eq!(t[0].span.start, Pos { line: 11, col: 5 });
        assert_eq!(t[0].columns[0].span.start, Pos { line: 12, col: 9 });
    }

    #[test]
    fn joinable_lines() {
        let j = parse_joinable(&item("diesel::joinable", "(posts -> users (author_id))")).unwrap();
        assert_eq!(
            (j.child.as_str(), j.parent.as_str(), j.column.as_str()),
            ("posts", "users", "author_id")
        );
        assert!(parse_joinable(&item("joinable", "(posts users)")).is_none());
    }

    #[test]
    fn broken_input_yields_what_parses() {
        for body in [
            "",
            "{",
            "{ users (id",
            "{ users (id) { id -> ",
            "{ users { id -> Nullable<<<Int4, }",
            "{ #[ sql_name = ] users {} }",
            "{ \"unterminated ",
            "{ /* unterminated",
        ] {
            let _ = parse_tables(&item("table", body));
            let _ = parse_joinable(&item("joinable", body));
        }
        let t = parse_tables(&item("table", "{ users { id -> Int4, } broken ( }"));
        assert_eq!(t.len(), 1);
    }
}
