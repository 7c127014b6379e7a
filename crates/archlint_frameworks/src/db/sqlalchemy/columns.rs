//! Schema items as SQLAlchemy writes them, shared by declarative models, Core
//! tables and Alembic operations: `Column(...)`/`mapped_column(...)` with
//! their keywords and `ForeignKey`s, and the table-level `Index`,
//! `UniqueConstraint`, `PrimaryKeyConstraint` and `ForeignKeyConstraint`.

use super::knowledge::Models;
use super::values::{
    call_in, call_name, kw_bool, kw_truthy, split_column_ref, str_value, type_text,
};
use archlint_model::{
    Arg, ArgsExt, Expr, ExprKind, Index, IndexColumn, IndexKind, Location, ProjectIndex,
};

/// Where a `ForeignKey` points.
#[derive(Clone, Debug, PartialEq)]
pub enum FkTarget<'e> {
    /// `ForeignKey("users.id")`: table and column.
    Text(String, String),
    /// `ForeignKey(User.id)` / `ForeignKey(users.c.id)`: resolved against the
    /// models once they are all known.
    Expr(&'e Expr),
}

/// A column declaration's arguments.
#[derive(Clone, Debug, Default)]
pub struct ColumnSpec<'e> {
    /// The database name when given (`Column("db_name", ...)`, `name=`).
    pub name: Option<String>,
    pub type_text: String,
    pub primary_key: bool,
    pub index: bool,
    pub unique: bool,
    /// `nullable=` when given literally.
    pub nullable: Option<bool>,
    pub fks: Vec<FkTarget<'e>>,
}

/// Reads `Column(...)` / `mapped_column(...)` arguments (looking through
/// `deferred(Column(...))`). `None` when `e` is not a column declaration.
pub fn column_spec<'e>(
    m: &Models,
    index: &ProjectIndex,
    file: u32,
    e: &'e Expr,
) -> Option<ColumnSpec<'e>> {
    let mut cur = e;
    for _ in 0..4 {
        if let Some(args) = call_in(cur, &m.column_wrappers) {
            cur = args.positional(0)?;
        } else {
            break;
        }
    }
    let args = call_in(cur, &m.columns)?;
    let mut spec = ColumnSpec {
        primary_key: kw_bool(args, "primary_key").unwrap_or(false),
        index: kw_bool(args, "index").unwrap_or(false),
        unique: kw_bool(args, "unique").unwrap_or(false),
        nullable: kw_bool(args, "nullable"),
        ..Default::default()
    };
    if let Some(n) = args.keyword("name").and_then(|n| str_value(index, file, n)) {
        spec.name = Some(n);
    }
    for (i, a) in args.iter().filter(|a| a.name.is_none()).enumerate() {
        let v = &a.value;
        if i == 0
            && let Some(s) = str_value(index, file, v)
        {
            spec.name = Some(s);
            continue;
        }
        if let Some(fk) = foreign_key(m, index, file, v) {
            spec.fks.push(fk);
            continue;
        }
        if spec.type_text.is_empty() && !is_schema_item(v) {
            spec.type_text = type_text(v);
        }
    }
    if let Some(t) = args.keyword("type_") {
        spec.type_text = type_text(t);
    }
    Some(spec)
}

/// `Sequence(...)`, `Identity()`, `Computed(...)`, `FetchedValue()` and
/// `CheckConstraint(...)` are column arguments but not its type.
fn is_schema_item(e: &Expr) -> bool {
    call_name(e).is_some_and(|n| {
        matches!(
            n,
            "Sequence" | "Identity" | "Computed" | "FetchedValue" | "CheckConstraint"
        )
    })
}

fn foreign_key<'e>(
    m: &Models,
    index: &ProjectIndex,
    file: u32,
    e: &'e Expr,
) -> Option<FkTarget<'e>> {
    let args = call_in(e, &m.foreign_keys)?;
    let target = args.positional(0).or_else(|| args.keyword("column"))?;
    if let Some(s) = str_value(index, file, target) {
        let (t, c) = split_column_ref(&s)?;
        return Some(FkTarget::Text(t, c));
    }
    Some(FkTarget::Expr(target))
}

/// Column parts of an index or constraint: strings, column expressions
/// (resolved by `column_of`) and SQL expressions (`text("lower(email)")`,
/// `func.lower(...)`). `None` when a part is not understood.
pub fn index_parts(
    m: &Models,
    index: &ProjectIndex,
    file: u32,
    parts: &[&Expr],
    column_of: &dyn Fn(&Expr) -> Option<String>,
) -> Option<Vec<IndexColumn>> {
    let mut out = Vec::new();
    for p in parts {
        if let Some(s) = str_value(index, file, p) {
            out.push(IndexColumn::Column(s));
        } else if let Some(c) = column_of(p) {
            out.push(IndexColumn::Column(c));
        } else if let Some(args) = call_in(p, &m.text) {
            let text = args.positional(0).and_then(|t| str_value(index, file, t))?;
            out.push(text_index_part(&text));
        } else if let Some(text) = sql_function_text(p, column_of) {
            out.push(IndexColumn::Expression(text));
        } else if let Some(inner) = order_modifier_inner(p) {
            // `User.created_at.desc()` in an index is still that column.
            if let Some(c) = column_of(inner) {
                out.push(IndexColumn::Column(c));
            } else {
                let s = str_value(index, file, inner)?;
                out.push(IndexColumn::Column(s));
            }
        } else {
            return None;
        }
    }
    Some(out)
}

/// `text("not_after DESC")` is the plain column `not_after` (its order does
/// not change which lookups it serves); anything else is an expression.
fn text_index_part(text: &str) -> IndexColumn {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    // Trailing `ASC`/`DESC` and `NULLS FIRST`/`NULLS LAST`.
    loop {
        match words.as_slice() {
            [.., n, fl]
                if n.eq_ignore_ascii_case("nulls")
                    && (fl.eq_ignore_ascii_case("first") || fl.eq_ignore_ascii_case("last")) =>
            {
                words.truncate(words.len() - 2);
            }
            [.., d] if d.eq_ignore_ascii_case("asc") || d.eq_ignore_ascii_case("desc") => {
                words.truncate(words.len() - 1);
            }
            _ => break,
        }
    }
    match words.as_slice() {
        [one] => {
            let name = one.trim_matches('"');
            if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                IndexColumn::Column(name.to_string())
            } else {
                IndexColumn::Expression(text.to_string())
            }
        }
        _ => IndexColumn::Expression(text.to_string()),
    }
}

/// `x.desc()` / `x.asc()`: the column expression inside.
fn order_modifier_inner(e: &Expr) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Call { func, args } if args.is_empty() => match &func.kind {
            ExprKind::Attr(inner, m) if m == "desc" || m == "asc" => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// `func.lower(User.email)` as SQL text (`lower(email)`), when every
/// argument is a column.
pub fn sql_function_text(e: &Expr, column_of: &dyn Fn(&Expr) -> Option<String>) -> Option<String> {
    let ExprKind::Call { func, args } = &e.kind else {
        return None;
    };
    let ExprKind::Attr(ns, fname) = &func.kind else {
        return None;
    };
    if ns.last_name() != Some("func") {
        return None;
    }
    let cols: Option<Vec<String>> = args
        .iter()
        .map(|a| match &a.value.kind {
            ExprKind::Str(s) => Some(format!("'{s}'")),
            _ => column_of(&a.value),
        })
        .collect();
    Some(format!(
        "{}({})",
        fname.to_ascii_lowercase(),
        cols?.join(", ")
    ))
}

/// A table-level schema item, as read from `Index(...)`, `UniqueConstraint(...)`,
/// `PrimaryKeyConstraint(...)` or `ForeignKeyConstraint(...)`.
#[derive(Clone, Debug)]
pub enum TableItem {
    Index(Index),
    ForeignKey {
        name: Option<String>,
        columns: Vec<String>,
        ref_table: String,
        ref_columns: Vec<String>,
    },
}

/// Reads one table-level item. `table` names the table for the default
/// index name; `at` is where the item is written.
pub fn table_item(
    m: &Models,
    index: &ProjectIndex,
    file: u32,
    e: &Expr,
    at: Location,
    column_of: &dyn Fn(&Expr) -> Option<String>,
) -> Option<TableItem> {
    let ExprKind::Call { func, args } = &e.kind else {
        return None;
    };
    let kind = func.last_name()?;
    let name = args.keyword("name").and_then(|n| str_value(index, file, n));
    let positional: Vec<&Expr> = args
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    if m.indexes.matches(kind) {
        let (first, rest) = positional.split_first()?;
        let iname = str_value(index, file, first);
        let columns = index_parts(m, index, file, rest, column_of)?;
        let unique = kw_bool(args, "unique").unwrap_or(false);
        return Some(TableItem::Index(Index {
            name: iname,
            columns,
            unique,
            partial: is_partial(args),
            kind: IndexKind::Index,
            method: args
                .keyword("postgresql_using")
                .or_else(|| args.keyword("mysql_using"))
                .and_then(|v| str_value(index, file, v))
                .map(|s| s.to_ascii_lowercase()),
            declared_at: at,
        }));
    }
    let is_unique = m.unique_constraints.matches(kind);
    if is_unique || m.primary_key_constraints.matches(kind) {
        let columns = index_parts(m, index, file, &positional, column_of)?;
        if columns.is_empty() {
            return None;
        }
        return Some(TableItem::Index(Index {
            name,
            columns,
            unique: true,
            partial: false,
            kind: if is_unique {
                IndexKind::Unique
            } else {
                IndexKind::PrimaryKey
            },
            method: None,
            declared_at: at,
        }));
    }
    if m.foreign_key_constraints.matches(kind) {
        let local = args.positional(0).or_else(|| args.keyword("columns"))?;
        let remote = args.positional(1).or_else(|| args.keyword("refcolumns"))?;
        let columns = list_columns(index, file, local, column_of)?;
        let refs = list_columns_qualified(index, file, remote)?;
        let ref_table = refs.first()?.0.clone();
        if refs.iter().any(|(t, _)| *t != ref_table) || columns.len() != refs.len() {
            return None;
        }
        return Some(TableItem::ForeignKey {
            name,
            columns,
            ref_table,
            ref_columns: refs.into_iter().map(|(_, c)| c).collect(),
        });
    }
    None
}

/// `postgresql_where=` / `sqlite_where=`: a partial index.
pub fn is_partial(args: &[Arg]) -> bool {
    args.iter().any(|a| {
        a.name
            .as_deref()
            .is_some_and(|n| n.ends_with("_where") && kw_truthy(args, n))
    })
}

fn list_columns(
    index: &ProjectIndex,
    file: u32,
    e: &Expr,
    column_of: &dyn Fn(&Expr) -> Option<String>,
) -> Option<Vec<String>> {
    let items: Vec<&Expr> = match &e.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs.iter().collect(),
        _ => vec![e],
    };
    items
        .into_iter()
        .map(|x| {
            str_value(index, file, x)
                .map(|s| s.rsplit('.').next().unwrap_or(&s).to_string())
                .or_else(|| column_of(x))
        })
        .collect()
}

fn list_columns_qualified(
    index: &ProjectIndex,
    file: u32,
    e: &Expr,
) -> Option<Vec<(String, String)>> {
    let items: Vec<&Expr> = match &e.kind {
        ExprKind::List(xs) | ExprKind::Tuple(xs) => xs.iter().collect(),
        _ => vec![e],
    };
    items
        .into_iter()
        .map(|x| split_column_ref(&str_value(index, file, x)?))
        .collect()
}
