//! Names and locations of sqlparser nodes as archlint wants them: object
//! names as unquoted dotted text, index parts as columns or expression text,
//! spans as [`Location`]s in the scanned file.

use crate::positions::{Positions, offset_in};
use archlint_model::{Dialect, IndexColumn, Location, Span};
use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName,
    ObjectNamePart, Value,
};
use sqlparser::tokenizer::Span as SqlSpan;

/// `schema.table` without quotes.
pub(crate) fn object_name(name: &ObjectName) -> String {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(i) => i.value.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The last part of an object name (an index name without its schema).
pub(crate) fn last_part(name: &ObjectName) -> String {
    match name.0.last() {
        Some(ObjectNamePart::Identifier(i)) => i.value.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

pub(crate) fn idents(list: &[Ident]) -> Vec<String> {
    list.iter().map(|i| i.value.clone()).collect()
}

/// An index key part: a plain column, or an expression kept as text.
/// MySQL's prefix part `email(10)` still indexes the column `email`.
pub(crate) fn index_part(expr: &Expr, dialect: Dialect) -> IndexColumn {
    match expr {
        Expr::Identifier(i) => IndexColumn::Column(i.value.clone()),
        Expr::CompoundIdentifier(parts) if !parts.is_empty() => {
            IndexColumn::Column(parts[parts.len() - 1].value.clone())
        }
        Expr::Nested(inner) => index_part(inner, dialect),
        Expr::Function(f) if dialect == Dialect::Mysql => match mysql_prefix_column(f) {
            Some(c) => IndexColumn::Column(c),
            None => IndexColumn::Expression(expr.to_string()),
        },
        _ => IndexColumn::Expression(expr.to_string()),
    }
}

fn mysql_prefix_column(f: &Function) -> Option<String> {
    if f.name.0.len() != 1 {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v)))]
            if matches!(v.value, Value::Number(..)) =>
        {
            Some(last_part(&f.name))
        }
        _ => None,
    }
}

/// Where one statement is, to turn sqlparser spans into file locations.
pub(crate) struct StmtCtx<'a> {
    pub path: &'a str,
    pub positions: &'a Positions<'a>,
    /// The text sqlparser parsed (same length and lines as the file's piece).
    pub text: &'a str,
    /// Byte offset of `text` in the file.
    pub base: usize,
    /// The whole statement.
    pub at: Location,
    pub dialect: Dialect,
}

impl StmtCtx<'_> {
    /// The location of a sqlparser span, or the statement's when the span is empty.
    pub fn loc(&self, span: SqlSpan) -> Location {
        let (Some(start), Some(end)) = (
            offset_in(self.text, span.start),
            offset_in(self.text, span.end),
        ) else {
            return self.at.clone();
        };
        Location {
            path: self.path.to_string(),
            span: Span::new(
                self.positions.pos(self.base + start),
                self.positions.pos(self.base + end.max(start)),
            ),
        }
    }
}
