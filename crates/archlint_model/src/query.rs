//! The normalised shape of one database query, whatever wrote it: SQL text
//! (archlint_sql), the Django ORM, SQLAlchemy, diesel or sea-orm. It says
//! which tables a query touches and how it uses their columns (filters,
//! joins, sorting, grouping), whether it is bounded, and whether its text was
//! built at runtime. It carries no location: the fact that holds a shape
//! knows where the query is.
//!
//! Column uses carry the table they belong to only when that is certain (a
//! qualified name, an alias, or the only table of the query); rules must not
//! guess when it is `None`. Columns of derived tables and CTEs are left out,
//! since no index of a stored table can serve them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// SQL dialect of a project's database (from config; PostgreSQL by default).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
    Generic,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
            Dialect::Generic => "generic",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`Dialect::from_str`]: the name that was not recognised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownDialect(pub String);

impl fmt::Display for UnknownDialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown SQL dialect `{}` (expected postgres, mysql, sqlite or generic)",
            self.0
        )
    }
}

impl std::error::Error for UnknownDialect {}

impl FromStr for Dialect {
    type Err = UnknownDialect;

    /// Accepts the usual spellings, case-insensitively: `postgres`,
    /// `postgresql`, `pg`; `mysql`, `mariadb`; `sqlite`, `sqlite3`; `generic`, `ansi`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" | "psql" => Ok(Dialect::Postgres),
            "mysql" | "mariadb" => Ok(Dialect::Mysql),
            "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
            "generic" | "ansi" => Ok(Dialect::Generic),
            _ => Err(UnknownDialect(s.to_string())),
        }
    }
}

/// What a query does.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum QueryKind {
    Select,
    Insert,
    Update,
    Delete,
    /// Anything else (DDL, `SET`, a call): no shape beyond the kind.
    #[default]
    Other,
}

/// A stored table the query reads or writes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TableRef {
    /// As written, possibly schema-qualified (`public.users`); look it up with
    /// `Schema::table`, which ignores case and the default schema.
    pub name: String,
    pub alias: Option<String>,
}

/// How a filter compares its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnOp {
    /// `=`, `IS NOT DISTINCT FROM`, `IS TRUE`, a bare boolean column, an `IN`
    /// list of one; Django `field=x`, `__exact`, `__iexact`; `.eq(x)`.
    Eq,
    /// `<`, `>`, `<=`, `>=`, `BETWEEN`; Django `__gt/__lt/__range`.
    Range,
    /// `IN (...)`, `= ANY(...)`, `IN (SELECT ...)`; Django `__in`.
    In,
    /// `LIKE`, `ILIKE`, `SIMILAR TO`, regex matches; Django `__contains/__startswith`.
    Like,
    /// `IS NULL`; Django `__isnull=True`.
    IsNull,
    /// Anything else: `<>`, `NOT ...`, `IS NOT NULL`, arithmetic, a column
    /// compared to another in a disjunction. Also the op of every
    /// `order_by`/`group_by` entry.
    Other,
}

/// One use of a column by a query.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnUse {
    /// The table's name as written (not its alias), when certain.
    pub table: Option<String>,
    pub column: String,
    pub op: ColumnOp,
    /// When the column is used inside an expression (`lower(email)`,
    /// `email::text`, Django `__iexact` as `upper(email)`), that expression's
    /// text: only an expression index on the same text serves it (compare
    /// with `schema::normalize_expression`).
    pub expr: Option<String>,
    /// The condition sits under an `OR` (or `XOR`): it alone does not fix the
    /// column, so it must not count as equality-fixed for composite indexes.
    pub in_or: bool,
}

impl ColumnUse {
    /// A plain column use.
    pub fn new(table: Option<&str>, column: &str, op: ColumnOp) -> Self {
        ColumnUse {
            table: table.map(str::to_string),
            column: column.to_string(),
            op,
            expr: None,
            in_or: false,
        }
    }
}

/// What a query returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selected {
    /// `*` or `t.*`, a whole ORM model.
    Star,
    /// Named columns (their names) and expressions (their text), in order;
    /// Django `.values("a", "b")`, `.only(...)`.
    Columns(Vec<String>),
    /// Nothing: INSERT/UPDATE/DELETE without RETURNING.
    #[default]
    None,
}

/// The normalised shape of one query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryShape {
    pub kind: QueryKind,
    /// Stored tables of this query level (FROM, JOIN, the INSERT/UPDATE/DELETE
    /// target), in source order; not those of subqueries.
    pub tables: Vec<TableRef>,
    /// Column conditions of WHERE, HAVING and JOIN ... ON that compare a column
    /// with a value (or that are not plain column-to-column equalities).
    pub filters: Vec<ColumnUse>,
    /// Column-to-column equalities: `JOIN b ON a.x = b.y`, `USING (x)`,
    /// `WHERE a.x = b.y`, and a correlated subquery's `o.user_id = u.id`.
    /// Both sides have op [`ColumnOp::Eq`].
    pub joins: Vec<(ColumnUse, ColumnUse)>,
    /// ORDER BY columns in order (select-list aliases and positions excluded).
    pub order_by: Vec<ColumnUse>,
    pub group_by: Vec<ColumnUse>,
    /// LIMIT, FETCH FIRST, TOP; ORM slicing, `.first()`, `.get()`, `.limit()`.
    pub limit: bool,
    /// OFFSET; ORM slicing with a start.
    pub offset: bool,
    pub selected: Selected,
    /// The select list is aggregates only (`count(*)`) with no GROUP BY: one row.
    pub aggregate: bool,
    /// INSERT ... ON CONFLICT (its target columns, empty when none are given)
    /// or MySQL ON DUPLICATE KEY UPDATE.
    pub on_conflict: Option<Vec<String>>,
    /// Shapes of nested queries, each resolved in its own scope: subqueries in
    /// WHERE/SELECT/FROM, CTE bodies, the SELECT of an INSERT ... SELECT, and
    /// the other branches of a UNION (the first branch is this shape).
    pub subqueries: Vec<QueryShape>,
    /// The text was built at runtime (f-string, `format!`, concatenation).
    pub dynamic: bool,
    /// For dynamic text, its constant fragments in order (a hole between each two).
    pub fragments: Vec<String>,
    /// A nesting bound was hit and deeper parts were not examined.
    pub truncated: bool,
}

impl QueryShape {
    /// An empty shape of the given kind.
    pub fn new(kind: QueryKind) -> Self {
        QueryShape {
            kind,
            ..QueryShape::default()
        }
    }

    /// Columns of `table` fixed by equality (op `Eq`, not under an `OR`, no
    /// expression): what [`crate::schema::Schema::index_serving`] takes as
    /// `equality_fixed`. `table` is compared case-insensitively with each
    /// filter's table.
    pub fn equality_fixed(&self, table: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .filters
            .iter()
            .filter(|f| f.op == ColumnOp::Eq && !f.in_or && f.expr.is_none())
            .filter(|f| {
                f.table
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(table))
            })
            .map(|f| f.column.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// This shape and all nested ones, depth first (this one first).
    pub fn all_shapes(&self) -> Vec<&QueryShape> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(s) = stack.pop() {
            out.push(s);
            stack.extend(s.subqueries.iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_names_parse() {
        assert_eq!("PostgreSQL".parse::<Dialect>(), Ok(Dialect::Postgres));
        assert_eq!("mariadb".parse::<Dialect>(), Ok(Dialect::Mysql));
        assert_eq!("sqlite3".parse::<Dialect>(), Ok(Dialect::Sqlite));
        assert_eq!("generic".parse::<Dialect>(), Ok(Dialect::Generic));
        assert!("oracle".parse::<Dialect>().is_err());
        assert_eq!(Dialect::default(), Dialect::Postgres);
        assert_eq!(Dialect::Mysql.to_string(), "mysql");
    }

    #[test]
    fn equality_fixed_skips_or_and_expressions() {
        let mut shape = QueryShape::new(QueryKind::Select);
        shape
            .filters
            .push(ColumnUse::new(Some("users"), "org_id", ColumnOp::Eq));
        let mut ored = ColumnUse::new(Some("users"), "kind", ColumnOp::Eq);
        ored.in_or = true;
        shape.filters.push(ored);
        let mut lowered = ColumnUse::new(Some("users"), "email", ColumnOp::Eq);
        lowered.expr = Some("lower(email)".into());
        shape.filters.push(lowered);
        shape
            .filters
            .push(ColumnUse::new(Some("users"), "age", ColumnOp::Range));
        shape
            .filters
            .push(ColumnUse::new(Some("orgs"), "id", ColumnOp::Eq));
        assert_eq!(shape.equality_fixed("USERS"), vec!["org_id"]);
    }

    #[test]
    fn all_shapes_walks_depth_first() {
        let mut inner = QueryShape::new(QueryKind::Select);
        inner.subqueries.push(QueryShape::new(QueryKind::Delete));
        let mut outer = QueryShape::new(QueryKind::Insert);
        outer.subqueries.push(inner);
        outer.subqueries.push(QueryShape::new(QueryKind::Update));
        let kinds: Vec<QueryKind> = outer.all_shapes().iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                QueryKind::Insert,
                QueryKind::Select,
                QueryKind::Delete,
                QueryKind::Update
            ]
        );
    }
}
