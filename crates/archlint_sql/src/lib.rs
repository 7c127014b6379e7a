//! The SQL layer: schema declarations from `.sql` files and normalised query
//! shapes from SQL text, on top of sqlparser. Pure functions of their input;
//! nothing here panics on any text, and malformed SQL becomes a
//! [`SqlProblem`] (a notification for the engine), never an error that stops
//! a scan.
//!
//! - [`parse_schema`]: a migration or dump to [`SchemaOp`]s (merge them with
//!   `archlint_model::Schema::from_sources`).
//! - [`parse_query`]: one query's text to a [`QueryShape`].
//! - [`parse_dynamic`]: the constant fragments of a query built at runtime to
//!   a best-effort [`QueryShape`] marked `dynamic`.

mod ddl;
mod dynamic;
mod exprs;
mod guard;
mod lexer;
mod names;
mod parse;
mod placeholders;
mod positions;
mod problem;
mod query_text;
mod schema_file;
mod scope;
mod shape;
mod split;
mod walker;

pub use archlint_model::{Dialect, QueryShape, SchemaOp};
pub use problem::{ProblemKind, SqlProblem};

/// Schema operations declared by a `.sql` file, in statement order, and the
/// statements that could not be read. `path` goes into every location.
/// Only statements that can change the schema are parsed; the others
/// (data, settings, functions, grants) are skipped without a problem.
pub fn parse_schema(text: &str, path: &str, dialect: Dialect) -> (Vec<SchemaOp>, Vec<SqlProblem>) {
    schema_file::parse_schema(text, path, dialect)
}

/// The shape of the query in `text`: the first SELECT/INSERT/UPDATE/DELETE
/// statement (or the first statement). Placeholders `$1`, `?`, `?1`, `%s`,
/// `%(name)s`, `:name` and `@name` are accepted in every dialect.
pub fn parse_query(text: &str, dialect: Dialect) -> Result<QueryShape, SqlProblem> {
    query_text::parse_query(text, dialect)
}

/// Best-effort shape of a query built at runtime from `fragments` (the
/// constant parts, with a hole between each two): `None` when no way of
/// filling the holes parses. The shape has `dynamic` set and keeps the
/// fragments.
pub fn parse_dynamic(fragments: &[&str], dialect: Dialect) -> Option<QueryShape> {
    dynamic::parse_dynamic(fragments, dialect)
}
