//! Schema from DDL a Python module runs itself: hand-written migration
//! modules (`async def m001_initial(db): await db.execute("CREATE TABLE ...")`)
//! and `init_db()` functions of small services. Without it such projects
//! have no schema, and their raw SQL is judged without an index model.
//!
//! The text is rebuilt like any query's. A hole whose value is known (the
//! variable of a `for` loop over a literal list of names, as in
//! `for col in ["a", "b"]: db.execute(f"CREATE INDEX ... ({col})")`) is
//! expanded once per value. Any other hole in a name makes the statement's
//! table partly known (so no rule concludes anything from its indexes);
//! a hole elsewhere (a column type such as `{db.big_int}`, a default) is
//! harmless.

use super::eval::Eval;
use crate::db::diesel::inline_sql::schema_in_literal;
use crate::db::sqltext::detect::statement_start;
use crate::db::sqltext::locals::DefKind;
use crate::db::sqltext::pieces::{Piece, Pieces};
use archlint_model::{Constraint, Dialect, Expr, ExprKind, Pos, SchemaOp};

/// Stands for an unknown value in rebuilt text: a valid identifier no
/// project uses.
const HOLE: &str = "archlint_hole_";
/// Most values a loop variable is expanded over.
const MAX_VALUES: usize = 64;

/// Whether `text` starts a schema change archlint models.
pub(super) fn is_ddl(text: &str) -> bool {
    let mut words = statement_start(text)
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase);
    let (Some(a), Some(b)) = (words.next(), words.next()) else {
        return false;
    };
    let c = words.next().unwrap_or_default();
    match (a.as_str(), b.as_str()) {
        ("CREATE", "TABLE" | "INDEX") | ("ALTER" | "DROP", "TABLE") | ("DROP", "INDEX") => true,
        ("CREATE", "UNIQUE") => c == "INDEX",
        ("CREATE", "TEMP" | "TEMPORARY") => c == "TABLE",
        _ => false,
    }
}

/// The schema operations of DDL text executed at `pos`, or `None` when the
/// text is not DDL.
pub(super) fn schema_ops(
    eval: &Eval,
    pieces: &Pieces,
    pos: Pos,
    dialect: Dialect,
) -> Option<Vec<SchemaOp>> {
    let frags = pieces.fragments();
    if !is_ddl(frags.first()?) {
        return None;
    }
    let at = pieces.at.as_ref()?;
    let mut ops = Vec::new();
    for text in expand(eval, pieces, pos) {
        for op in schema_in_literal(&text, at.span, &at.path, dialect) {
            if let Some(op) = without_holes(op) {
                ops.push(op);
            }
        }
    }
    Some(ops)
}

/// The texts `pieces` stands for: one per value of the loop variable its
/// holes name (when they all name the same one), else one with every hole
/// replaced by [`HOLE`].
fn expand(eval: &Eval, pieces: &Pieces, pos: Pos) -> Vec<String> {
    let mut var: Option<(&str, Vec<String>)> = None;
    let mut single = true;
    for h in pieces.holes() {
        match &var {
            Some((name, _)) if *name == h.text => {}
            Some(_) => single = false,
            None => match loop_values(eval, &h.text, pos) {
                Some(values) => var = Some((h.text.as_str(), values)),
                None => single = false,
            },
        }
    }
    let fill = |value: Option<&str>| {
        let mut out = String::new();
        for p in &pieces.parts {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Hole(h, _) => match (value, &var) {
                    (Some(v), Some((name, _))) if *name == h.text => out.push_str(v),
                    _ => out.push_str(HOLE),
                },
            }
        }
        out
    };
    match &var {
        Some((_, values)) if single => values.iter().map(|v| fill(Some(v))).collect(),
        _ => vec![fill(None)],
    }
}

/// The string values a local `for` variable takes, when it iterates a
/// literal list, tuple or set of strings (written in place or bound to a
/// name once).
fn loop_values(eval: &Eval, name: &str, pos: Pos) -> Option<Vec<String>> {
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let locals = eval.locals?;
    let DefKind::LoopVar(iter) = locals.before(name, pos).last()?.kind else {
        return None;
    };
    let items = literal_items(iter).or_else(|| {
        let ExprKind::Name(n) = &iter.kind else {
            return None;
        };
        let (value, _, after) = eval.last_assign(n, iter.span.start)?;
        // Appended to later: the list is not the literal any more.
        if !after.is_empty() {
            return None;
        }
        literal_items(value).or_else(|| literal_items(eval.definition(iter)?.0))
    })?;
    let values: Vec<String> = items
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    (!values.is_empty() && values.len() <= MAX_VALUES).then_some(values)
}

fn literal_items(e: &Expr) -> Option<&[Expr]> {
    match &e.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => Some(xs),
        _ => None,
    }
}

/// `op` with no unknown name in it: dropped when its table is unknown,
/// turned into a partly known table when an index, constraint or column
/// name is.
fn without_holes(mut op: SchemaOp) -> Option<SchemaOp> {
    let has = |s: &str| s.contains(HOLE);
    let table = match &op {
        SchemaOp::CreateTable { table, .. }
        | SchemaOp::DropTable { table, .. }
        | SchemaOp::AddColumn { table, .. }
        | SchemaOp::DropColumn { table, .. }
        | SchemaOp::RenameColumn { table, .. }
        | SchemaOp::CreateIndex { table, .. }
        | SchemaOp::RenameConstraint { table, .. }
        | SchemaOp::AddConstraint { table, .. }
        | SchemaOp::DropConstraint { table, .. }
        | SchemaOp::DropPrimaryKey { table, .. }
        | SchemaOp::Unparsed { table, .. } => Some(table.clone()),
        SchemaOp::RenameTable { from, to, .. } => {
            return (!has(from) && !has(to)).then_some(op);
        }
        SchemaOp::DropIndex { name, table, .. } => {
            if has(name) {
                return table
                    .clone()
                    .filter(|t| !has(t))
                    .map(|table| SchemaOp::Unparsed {
                        table,
                        at: op.at().clone(),
                    });
            }
            table.clone()
        }
        SchemaOp::RenameIndex { from, to, .. } => {
            return (!has(from) && !has(to)).then_some(op);
        }
    };
    if table.as_deref().is_some_and(has) {
        return None;
    }
    let index_names = |i: &archlint_model::Index| {
        i.name.as_deref().is_some_and(has)
            || i.columns.iter().any(|c| match c {
                archlint_model::IndexColumn::Column(c)
                | archlint_model::IndexColumn::Expression(c) => has(c),
            })
    };
    let key_names = |k: &archlint_model::ForeignKey| {
        k.name.as_deref().is_some_and(has)
            || has(&k.ref_table)
            || k.columns.iter().chain(&k.ref_columns).any(|c| has(c))
    };
    let unknown = match &mut op {
        SchemaOp::CreateTable {
            columns,
            indexes,
            foreign_keys,
            ..
        } => {
            for c in columns.iter_mut() {
                if has(&c.type_text) {
                    c.type_text = String::new();
                }
            }
            columns.iter().any(|c| has(&c.name))
                || indexes.iter().any(index_names)
                || foreign_keys.iter().any(key_names)
        }
        SchemaOp::AddColumn { column, .. } => {
            if has(&column.type_text) {
                column.type_text = String::new();
            }
            has(&column.name)
        }
        SchemaOp::DropColumn { column, .. } => has(column),
        SchemaOp::RenameColumn { from, to, .. } => has(from) || has(to),
        SchemaOp::CreateIndex { index, .. } => index_names(index),
        SchemaOp::AddConstraint { constraint, .. } => match constraint {
            Constraint::Index(i) => index_names(i),
            Constraint::ForeignKey(k) => key_names(k),
        },
        SchemaOp::RenameConstraint { from, to, .. } => has(from) || has(to),
        SchemaOp::DropConstraint { name, .. } => has(name),
        _ => false,
    };
    match (unknown, table) {
        (false, _) => Some(op),
        (true, Some(table)) => Some(SchemaOp::Unparsed {
            table,
            at: op.at().clone(),
        }),
        (true, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::is_ddl;

    #[test]
    fn ddl_statements_by_their_first_words() {
        assert!(is_ddl("\n  CREATE TABLE IF NOT EXISTS t (id INT)"));
        assert!(is_ddl("create unique index i on t (a)"));
        assert!(is_ddl("CREATE INDEX IF NOT EXISTS i ON t(a)"));
        assert!(is_ddl("ALTER TABLE t ADD COLUMN c TEXT"));
        assert!(is_ddl("DROP INDEX i"));
        assert!(is_ddl("CREATE TEMPORARY TABLE t (a INT)"));
        assert!(is_ddl("-- the users\n/* v2 */ CREATE TABLE users (id INT)"));
        assert!(!is_ddl("CREATE VIEW v AS SELECT 1"));
        assert!(!is_ddl("SELECT * FROM t"));
        assert!(!is_ddl("CREATE"));
        assert!(!is_ddl("DROP VIEW balances"));
    }
}
