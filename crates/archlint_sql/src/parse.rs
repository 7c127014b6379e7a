//! The one place sqlparser is called: the dialect mapping, the nesting
//! guard first, a recursion limit, and errors turned into a kind, a message
//! and a byte offset in the parsed text.

use crate::guard;
use crate::positions::{error_location, error_message, offset_in};
use crate::problem::ProblemKind;
use archlint_model::Dialect;
use sqlparser::ast::Statement;
use sqlparser::dialect::{GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};

/// sqlparser's own recursion bound (its default is 50; real queries with
/// nested functions and subqueries can go past that).
const RECURSION_LIMIT: usize = 96;

/// A parse failure: kind, message and byte offset in the parsed text.
pub(crate) struct Failure {
    pub kind: ProblemKind,
    pub message: String,
    pub offset: usize,
}

pub(crate) fn parse(text: &str, dialect: Dialect) -> Result<Vec<Statement>, Failure> {
    if let Err(offset) = guard::check(text, dialect) {
        return Err(Failure {
            kind: ProblemKind::TooComplex,
            message: "statement nested too deeply to analyse".to_string(),
            offset,
        });
    }
    let result = match dialect {
        Dialect::Postgres => run(&PostgreSqlDialect {}, text),
        Dialect::Mysql => run(&MySqlDialect {}, text),
        Dialect::Sqlite => run(&SQLiteDialect {}, text),
        Dialect::Generic => run(&GenericDialect {}, text),
    };
    result.map_err(|e| {
        let raw = e.to_string();
        let kind = match e {
            ParserError::RecursionLimitExceeded => ProblemKind::TooComplex,
            _ => ProblemKind::Syntax,
        };
        // sqlparser reports "found: EOF" at line 0: the end of the text.
        let offset = match error_location(&raw) {
            Some(loc) => offset_in(text, loc).unwrap_or(text.len()),
            None => 0,
        };
        Failure {
            kind,
            message: error_message(&raw),
            offset,
        }
    })
}

fn run(
    dialect: &dyn sqlparser::dialect::Dialect,
    text: &str,
) -> Result<Vec<Statement>, ParserError> {
    Parser::new(dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(text)?
        .parse_statements()
}
