//! SQL text to one [`QueryShape`]: placeholders normalised, the nesting
//! guard, sqlparser, then the shape of the statement that runs a query.

use crate::parse::parse;
use crate::placeholders::normalize;
use crate::positions::Positions;
use crate::problem::{ProblemKind, SqlProblem};
use crate::shape::Builder;
use archlint_model::{Dialect, Pos, QueryShape};
use sqlparser::ast::Statement;

pub(crate) fn parse_query(text: &str, dialect: Dialect) -> Result<QueryShape, SqlProblem> {
    let normalized = normalize(text, dialect);
    let stmts = parse(&normalized.text, dialect).map_err(|f| SqlProblem {
        kind: f.kind,
        message: f.message,
        pos: Positions::new(text).pos(normalized.original(f.offset).min(text.len())),
    })?;
    // The first statement that reads or writes rows; a leading `SET` or
    // `BEGIN` in a multi-statement string does not hide it.
    let stmt = stmts
        .iter()
        .find(|s| {
            matches!(
                s,
                Statement::Query(_)
                    | Statement::Insert(_)
                    | Statement::Update(_)
                    | Statement::Delete(_)
            )
        })
        .or(stmts.first());
    match stmt {
        Some(s) => Ok(Builder::default().statement(s)),
        None => Err(SqlProblem {
            kind: ProblemKind::Empty,
            message: "no SQL statement".to_string(),
            pos: Pos { line: 1, col: 1 },
        }),
    }
}
