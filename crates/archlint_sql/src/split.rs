//! Splitting a `.sql` file into statements without parsing them, so that one
//! statement sqlparser cannot read costs only itself.
//!
//! Beyond `;` outside quotes, dollar quotes and comments, this knows what
//! real migration files and dumps contain: `COPY ... FROM stdin;` followed by
//! data up to `\.`, psql meta-commands (`\connect`, `\restrict`), MySQL
//! `DELIMITER //` blocks, `BEGIN ... END` bodies of triggers and routines
//! written without dollar quotes, goose's `StatementBegin`/`StatementEnd`,
//! and the down halves of dbmate (`-- migrate:down`) and goose
//! (`-- +goose Down`) files, which are left out.

use crate::lexer::{Kind, Lexer, Token};
use archlint_model::Dialect;

/// One statement: `src[start..end]`, from its first significant token to
/// just before its delimiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    pub start: usize,
    pub end: usize,
}

#[derive(Default)]
struct Current {
    start: Option<usize>,
    end: usize,
    /// Significant tokens seen so far (capped: only the first few matter).
    count: usize,
    first_word_copy: bool,
    create: bool,
    /// `CREATE ... TRIGGER|FUNCTION|PROCEDURE|EVENT`: `BEGIN ... END` nests.
    routine: bool,
    depth: usize,
}

pub(crate) fn split(src: &str, dialect: Dialect) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut lx = Lexer::new(src, dialect);
    let mut delimiter = String::from(";");
    let mut cur = Current::default();
    let mut goose_block = false;
    let mut down_section = false;

    loop {
        if cur.start.is_none() && at_line_start(src, lx.pos) {
            let rest = &src[lx.pos..];
            if rest.starts_with('\\') {
                // psql meta-command: the whole line.
                lx.pos = line_end(src, lx.pos);
                continue;
            }
            if let Some(d) = delimiter_command(rest) {
                delimiter = d;
                lx.pos = line_end(src, lx.pos);
                continue;
            }
        }
        if delimiter != ";" && src[lx.pos..].starts_with(delimiter.as_str()) {
            finish(&mut cur, &mut out, down_section);
            lx.pos += delimiter.len();
            continue;
        }
        let Some(tok) = lx.next_token() else { break };
        match tok.kind {
            Kind::Space | Kind::BlockComment => {}
            Kind::LineComment => match marker(tok.text(src)) {
                Some(Marker::Down) => {
                    finish(&mut cur, &mut out, down_section);
                    down_section = true;
                }
                Some(Marker::Up) => {
                    finish(&mut cur, &mut out, down_section);
                    down_section = false;
                }
                Some(Marker::BlockBegin) => goose_block = true,
                Some(Marker::BlockEnd) => {
                    goose_block = false;
                    finish(&mut cur, &mut out, down_section);
                }
                None => {}
            },
            Kind::Punct(';') if delimiter == ";" && cur.depth == 0 && !goose_block => {
                let copy = cur.first_word_copy && copies_from_stdin(src, &cur);
                finish(&mut cur, &mut out, down_section);
                if copy {
                    lx.pos = skip_copy_data(src, lx.pos);
                }
            }
            _ => track(src, &mut cur, tok, &lx),
        }
    }
    finish(&mut cur, &mut out, down_section);
    out
}

fn track(src: &str, cur: &mut Current, tok: Token, lx: &Lexer<'_>) {
    if cur.start.is_none() {
        cur.start = Some(tok.start);
        cur.first_word_copy = tok.is_word(src, "COPY");
        cur.create = tok.is_word(src, "CREATE");
    }
    cur.end = tok.end;
    cur.count = cur.count.saturating_add(1);
    if tok.kind != Kind::Word {
        return;
    }
    if cur.create && cur.count <= 8 {
        let w = tok.text(src);
        if ["TRIGGER", "FUNCTION", "PROCEDURE", "EVENT"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
        {
            cur.routine = true;
        }
    }
    if !cur.routine {
        return;
    }
    if tok.is_word(src, "BEGIN") || (cur.depth > 0 && tok.is_word(src, "CASE")) {
        cur.depth += 1;
    } else if tok.is_word(src, "END") && cur.depth > 0 {
        // `END IF`, `END LOOP` ... close blocks we do not count.
        let mut peek = lx.clone();
        let next = std::iter::from_fn(|| peek.next_token()).find(Token::is_significant);
        let closes_other = next.is_some_and(|n| {
            ["IF", "LOOP", "WHILE", "REPEAT"]
                .iter()
                .any(|k| n.is_word(src, k))
        });
        if !closes_other {
            cur.depth -= 1;
        }
    }
}

fn finish(cur: &mut Current, out: &mut Vec<Piece>, down_section: bool) {
    if let Some(start) = cur.start
        && !down_section
    {
        out.push(Piece {
            start,
            end: cur.end,
        });
    }
    *cur = Current::default();
}

fn at_line_start(src: &str, pos: usize) -> bool {
    src[..pos]
        .bytes()
        .rev()
        .find(|b| *b != b' ' && *b != b'\t')
        .is_none_or(|b| b == b'\n' || b == b'\r')
}

fn line_end(src: &str, pos: usize) -> usize {
    src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1)
}

/// MySQL client `DELIMITER x` (the new delimiter is the rest of the line).
fn delimiter_command(rest: &str) -> Option<String> {
    let head = rest.as_bytes().get(..10)?;
    if !head[..9].eq_ignore_ascii_case(b"delimiter") || !matches!(head[9], b' ' | b'\t') {
        return None;
    }
    let line = rest[10..].split('\n').next().unwrap_or("");
    let d = line.trim();
    (!d.is_empty()).then(|| d.to_string())
}

enum Marker {
    Down,
    Up,
    BlockBegin,
    BlockEnd,
}

/// dbmate and goose section markers.
fn marker(comment: &str) -> Option<Marker> {
    let body = comment.trim_start_matches('-').trim().to_ascii_lowercase();
    let body: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match body.as_str() {
        "migrate:down" | "+goose down" => Some(Marker::Down),
        "migrate:up" | "+goose up" => Some(Marker::Up),
        "+goose statementbegin" => Some(Marker::BlockBegin),
        "+goose statementend" => Some(Marker::BlockEnd),
        _ => None,
    }
}

/// Whether the statement is `COPY ... FROM STDIN` (its data follows inline).
fn copies_from_stdin(src: &str, cur: &Current) -> bool {
    let Some(start) = cur.start else {
        return false;
    };
    let words: Vec<String> = src[start..cur.end]
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    words.windows(2).any(|w| w[0] == "from" && w[1] == "stdin")
}

/// Skips COPY data: from the line after the `;` through the line `\.`.
fn skip_copy_data(src: &str, after_semicolon: usize) -> usize {
    let mut pos = line_end(src, after_semicolon);
    while pos < src.len() {
        let next = line_end(src, pos);
        let line = src[pos..next].trim_end_matches(['\n', '\r']);
        pos = next;
        if line == "\\." {
            break;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str, d: Dialect) -> Vec<&str> {
        split(src, d).iter().map(|p| &src[p.start..p.end]).collect()
    }

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let src =
            "-- head;\nCREATE TABLE a (x text DEFAULT ';');\n/* ; */ SELECT $$;$$;\n\nSELECT 1";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec![
                "CREATE TABLE a (x text DEFAULT ';')",
                "SELECT $$;$$",
                "SELECT 1"
            ]
        );
    }

    #[test]
    fn skips_copy_data_and_meta_commands() {
        let src = "\\connect db\nCOPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t;\n\\.\nCREATE INDEX i ON t (a);\n\\unrestrict abc\n";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec!["COPY public.t (a, b) FROM stdin", "CREATE INDEX i ON t (a)"]
        );
    }

    #[test]
    fn mysql_delimiters_and_trigger_bodies() {
        let src = "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END ;;\nDELIMITER ;\nCREATE TABLE b (id int);";
        assert_eq!(
            texts(src, Dialect::Mysql),
            vec![
                "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END",
                "CREATE TABLE b (id int)"
            ]
        );
        let src = "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE b SET y = CASE WHEN 1 THEN 2 END; IF x THEN y; END IF; END;\nCREATE INDEX i ON a (x);";
        assert_eq!(texts(src, Dialect::Sqlite).len(), 2);
    }

    #[test]
    fn dbmate_and_goose_down_sections_are_dropped() {
        let src = "-- migrate:up\nCREATE INDEX i ON t (a);\n-- migrate:down\nDROP INDEX i;\n";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec!["CREATE INDEX i ON t (a)"]
        );
        let src = "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS 'select 1; select 2' LANGUAGE sql;\nSELECT 1;\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE t;";
        let got = texts(src, Dialect::Postgres);
        assert_eq!(got.len(), 1);
        assert!(got[0].ends_with("SELECT 1;"));
    }
}
