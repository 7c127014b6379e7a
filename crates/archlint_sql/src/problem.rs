//! What goes wrong when reading SQL: one statement that does not parse, a
//! statement too deeply nested to examine safely, or no statement at all.
//! Always data for a notification, never a reason to stop.

use archlint_model::Pos;

/// Why a statement was not understood.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// sqlparser rejected it (including SQL it does not support).
    Syntax,
    /// Nesting or operator chains beyond archlint's bounds (or sqlparser's
    /// recursion limit): refused before it could exhaust the stack.
    TooComplex,
    /// Nothing but whitespace and comments.
    Empty,
}

/// A statement that was not understood, with where (1-based line, UTF-16
/// column) in the text given: the file for [`crate::parse_schema`], the query
/// text for [`crate::parse_query`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {}, column {})", pos.line, pos.col)]
pub struct SqlProblem {
    pub kind: ProblemKind,
    /// What sqlparser said, without its position suffix.
    pub message: String,
    pub pos: Pos,
}
