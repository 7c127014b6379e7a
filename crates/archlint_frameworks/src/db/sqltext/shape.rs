//! Rebuilt SQL text to the model's text and shape: constants through
//! `archlint_sql::parse_query` (cached, since one constant often runs in
//! many places), dynamic text through `parse_dynamic`. Constant SQL that
//! does not parse keeps its fact without a shape and becomes a note.

use super::detect::looks_like_sql;
use super::pieces::Pieces;
use archlint_model::{
    Dialect, Level, Location, Notification, NotificationKind, QueryShape, SqlText,
};
use archlint_sql::{SqlProblem, parse_dynamic, parse_query};
use rustc_hash::FxHashMap as HashMap;

/// SQL text with its shape, when it is SQL at all.
#[derive(Clone, Debug)]
pub struct Shaped {
    pub text: SqlText,
    pub text_at: Option<Location>,
    pub shape: Option<QueryShape>,
    /// Constant SQL that did not parse, located at its literal.
    pub problem: Option<Notification>,
}

/// Parses SQL texts for one scan, each distinct constant once.
pub struct Shaper {
    dialect: Dialect,
    cache: HashMap<String, Result<QueryShape, SqlProblem>>,
}

impl Shaper {
    pub fn new(dialect: Dialect) -> Self {
        Shaper {
            dialect,
            cache: HashMap::default(),
        }
    }

    /// Whether rebuilt text is SQL: its constant start is a SQL statement
    /// keyword, or (with `db_receiver`, a call on a known database handle)
    /// it starts with a hole.
    pub fn is_sql(pieces: &Pieces, db_receiver: bool) -> bool {
        let frags = pieces.fragments();
        let first = frags.first().map(String::as_str).unwrap_or("");
        if looks_like_sql(first) {
            return true;
        }
        pieces.constant().is_none() && db_receiver && first.trim().is_empty()
    }

    /// The text and shape of `pieces` (call [`Shaper::is_sql`] first).
    pub fn shape(&mut self, pieces: Pieces) -> Shaped {
        let at = pieces.at.clone();
        let text = pieces.into_sql_text();
        match &text {
            SqlText::Constant(t) => {
                let dialect = self.dialect;
                let result = self
                    .cache
                    .entry(t.clone())
                    .or_insert_with(|| parse_any(t, dialect))
                    .clone();
                match result {
                    Ok(shape) => Shaped {
                        text,
                        text_at: at,
                        shape: Some(shape),
                        problem: None,
                    },
                    // DDL, `PRAGMA`, `SET` and the like are never checked by
                    // a rule: not understanding them is not worth a note.
                    Err(_) if !is_dml(t) => Shaped {
                        text,
                        text_at: at,
                        shape: None,
                        problem: None,
                    },
                    Err(p) => {
                        let problem = Notification {
                            kind: NotificationKind::SqlParse,
                            level: Level::Note,
                            path: at.as_ref().map(|l| l.path.clone()),
                            span: at.as_ref().map(|l| l.span),
                            message: format!("SQL not understood: {p}"),
                        };
                        Shaped {
                            text,
                            text_at: at,
                            shape: None,
                            problem: Some(problem),
                        }
                    }
                }
            }
            SqlText::Dynamic { fragments, .. } => {
                let frags: Vec<&str> = fragments.iter().map(String::as_str).collect();
                let shape = parse_dynamic(&frags, self.dialect);
                Shaped {
                    text,
                    text_at: at,
                    shape,
                    problem: None,
                }
            }
        }
    }
}

/// Whether SQL text reads or writes rows (what the rules check).
fn is_dml(text: &str) -> bool {
    super::detect::first_word(text).is_some_and(|w| {
        [
            "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "REPLACE", "UPSERT", "VALUES",
        ]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(w))
    })
}

/// Parses with the project's dialect, then (a project may talk to more than
/// one database: SQLite `PRAGMA`s next to PostgreSQL) with the others; the
/// first error is kept when none parses.
fn parse_any(text: &str, dialect: Dialect) -> Result<QueryShape, SqlProblem> {
    let first = parse_query(text, dialect);
    if first.is_ok() {
        return first;
    }
    for other in [
        Dialect::Generic,
        Dialect::Sqlite,
        Dialect::Mysql,
        Dialect::Postgres,
    ] {
        if other != dialect
            && let Ok(shape) = parse_query(text, other)
        {
            return Ok(shape);
        }
    }
    first
}

/// Whether a shape returns every row it matches: a SELECT with no LIMIT
/// that is not a single-row aggregate.
pub fn unbounded(shape: Option<&QueryShape>) -> bool {
    shape.is_some_and(|s| s.kind == archlint_model::QueryKind::Select && !s.limit && !s.aggregate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_parse_once_and_bad_sql_is_a_note() {
        let mut s = Shaper::new(Dialect::Postgres);
        let ok = s.shape(Pieces::lit("SELECT * FROM users WHERE id = %s", None));
        assert_eq!(ok.shape.unwrap().tables[0].name, "users");
        let at = Location {
            path: "a.py".into(),
            span: Default::default(),
        };
        let bad = s.shape(Pieces::lit("SELECT FROM WHERE (", Some(at)));
        let pragma = s.shape(Pieces::lit("PRAGMA foreign_keys=OFF", None));
        assert!(pragma.shape.is_none() && pragma.problem.is_none());
        assert!(bad.shape.is_none());
        let n = bad.problem.unwrap();
        assert_eq!(n.kind, NotificationKind::SqlParse);
        assert_eq!(n.path.as_deref(), Some("a.py"));
        assert!(Shaper::is_sql(&Pieces::lit(" select 1", None), false));
        assert!(!Shaper::is_sql(&Pieces::lit("echo", None), true));
    }
}
