//! The database schema model: what each source declares ([`SchemaOp`], grouped
//! per file in a [`SchemaSource`]) and the merged result ([`Schema`]: tables
//! with their columns, keys and indexes), plus the index questions the
//! database rules ask of it.
//!
//! Every source a project uses lowers to the same operations: `.sql`
//! migrations and dumps (archlint_sql), Django models and migrations,
//! SQLAlchemy models and Alembic operations, diesel `table!` and sea-orm
//! migrations. Names are kept as written; every comparison is
//! case-insensitive, and a table's schema qualifier is dropped when it is the
//! default one (`public.users` is `users`).

mod merge;
mod order;

pub use order::{OrderKey, is_down_migration};

use crate::finding::Location;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A column as declared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    /// The type as written (`varchar(255)`, `bigint`, `models.CharField`); may be empty.
    pub type_text: String,
    /// False when declared `NOT NULL` or part of the primary key.
    pub nullable: bool,
    pub declared_at: Location,
}

/// One key part of an index, in index order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexColumn {
    /// A plain column.
    Column(String),
    /// An expression (`lower(email)`), kept as text: it serves queries on that
    /// expression, never plain lookups of the column inside it.
    Expression(String),
}

impl IndexColumn {
    /// The column name of a plain column part.
    pub fn column(&self) -> Option<&str> {
        match self {
            IndexColumn::Column(c) => Some(c),
            IndexColumn::Expression(_) => None,
        }
    }

    /// Whether this is the plain column `name` (case-insensitive).
    pub fn is_column(&self, name: &str) -> bool {
        self.column().is_some_and(|c| c.eq_ignore_ascii_case(name))
    }
}

/// Where an index comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    /// The index behind a primary key.
    PrimaryKey,
    /// The index behind a UNIQUE constraint (or a unique column).
    Unique,
    /// An explicitly declared index (`CREATE INDEX`, MySQL `KEY`, `index=True`, `Meta.indexes`).
    Index,
    /// An index the database or framework creates by itself, with why
    /// (`django ForeignKey`, `mysql foreign key`).
    Implicit(String),
}

/// An index, a primary key or a unique constraint (all of them serve lookups).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Name as declared; `None` for unnamed constraints and indexes.
    pub name: Option<String>,
    pub columns: Vec<IndexColumn>,
    pub unique: bool,
    /// Declared with a `WHERE` predicate (serves only the rows it covers).
    pub partial: bool,
    pub kind: IndexKind,
    /// Access method when declared (`btree`, `gin`, `hash`), lower-case.
    pub method: Option<String>,
    pub declared_at: Location,
}

impl Index {
    /// Names of the plain-column parts, in order (expression parts skipped).
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().filter_map(IndexColumn::column)
    }

    /// Whether the index can serve a lookup of `column` when the columns in
    /// `equality_fixed` are fixed by equality: `column` is the leading part,
    /// or every part before it is a plain column fixed by equality.
    pub fn serves(&self, column: &str, equality_fixed: &[&str]) -> bool {
        // GIN, GiST, BRIN and the like (`gin_trgm_ops`) answer text search or
        // containment, not plain equality and range lookups.
        if self
            .method
            .as_deref()
            .is_some_and(|m| !matches!(m, "btree" | "hash"))
        {
            return false;
        }
        for part in &self.columns {
            if part.is_column(column) {
                return true;
            }
            let fixed = part
                .column()
                .is_some_and(|c| equality_fixed.iter().any(|f| f.eq_ignore_ascii_case(c)));
            if !fixed {
                return false;
            }
        }
        false
    }

    /// Whether the index's leading parts are exactly `columns`, in any order
    /// (what a foreign key over `columns` needs).
    pub fn leads_with(&self, columns: &[String]) -> bool {
        if columns.is_empty() || self.columns.len() < columns.len() {
            return false;
        }
        let lead = &self.columns[..columns.len()];
        columns
            .iter()
            .all(|c| lead.iter().any(|part| part.is_column(c)))
            && lead.iter().all(|part| part.column().is_some())
    }
}

/// A foreign key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// The referenced table, as written (possibly schema-qualified).
    pub ref_table: String,
    /// The referenced columns; empty when the declaration leaves them implicit
    /// (`REFERENCES users`, meaning its primary key).
    pub ref_columns: Vec<String>,
    /// `Some(reason)` when the database or framework indexes these columns by
    /// itself (`django ForeignKey`, `mysql foreign key`); merging then adds an
    /// [`IndexKind::Implicit`] index for it.
    pub implicit_index: Option<String>,
    pub declared_at: Location,
}

impl ForeignKey {
    /// Whether the database or framework creates an index for this key.
    pub fn implicitly_indexed(&self) -> bool {
        self.implicit_index.is_some()
    }
}

/// A constraint added to an existing table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// A primary key, a unique constraint or (MySQL `ADD INDEX`) a plain index;
    /// the index's `kind` tells which.
    Index(Index),
    ForeignKey(ForeignKey),
}

/// One schema declaration, in source order. Table names are as written
/// (possibly schema-qualified); `at` is the whole statement or call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum SchemaOp {
    /// `CREATE TABLE`, a Django model, a SQLAlchemy model, a diesel `table!`.
    /// `indexes` holds the primary key, unique constraints and inline indexes.
    CreateTable {
        table: String,
        if_not_exists: bool,
        columns: Vec<Column>,
        indexes: Vec<Index>,
        foreign_keys: Vec<ForeignKey>,
        /// The declaration was not fully understood (it did not parse, or is
        /// `CREATE TABLE ... AS SELECT`): the table exists, its contents are unknown.
        partial: bool,
        at: Location,
    },
    DropTable {
        table: String,
        at: Location,
    },
    RenameTable {
        from: String,
        to: String,
        at: Location,
    },
    AddColumn {
        table: String,
        column: Column,
        at: Location,
    },
    DropColumn {
        table: String,
        column: String,
        at: Location,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
        at: Location,
    },
    /// `CREATE INDEX`, Django `AddIndex`, Alembic `create_index`.
    CreateIndex {
        table: String,
        index: Index,
        if_not_exists: bool,
        at: Location,
    },
    /// `DROP INDEX name` (the table is known for MySQL's `DROP INDEX name ON t`
    /// and `ALTER TABLE t DROP INDEX name`).
    DropIndex {
        name: String,
        table: Option<String>,
        if_exists: bool,
        at: Location,
    },
    RenameIndex {
        from: String,
        to: String,
        at: Location,
    },
    /// `ALTER TABLE t RENAME CONSTRAINT a TO b`: a primary key, unique
    /// constraint (and its index) or foreign key of `table`.
    RenameConstraint {
        table: String,
        from: String,
        to: String,
        at: Location,
    },
    AddConstraint {
        table: String,
        constraint: Constraint,
        at: Location,
    },
    /// Drops the constraint (primary key, unique, foreign key) or index of that name.
    DropConstraint {
        table: String,
        name: String,
        at: Location,
    },
    /// MySQL `ALTER TABLE t DROP PRIMARY KEY`.
    DropPrimaryKey {
        table: String,
        at: Location,
    },
    /// A declaration about `table` that was not understood (it did not
    /// parse): the table is marked `partial`, so no rule concludes anything
    /// from its possibly incomplete indexes.
    Unparsed {
        table: String,
        at: Location,
    },
}

impl SchemaOp {
    /// Where the declaration is.
    pub fn at(&self) -> &Location {
        match self {
            SchemaOp::CreateTable { at, .. }
            | SchemaOp::DropTable { at, .. }
            | SchemaOp::RenameTable { at, .. }
            | SchemaOp::AddColumn { at, .. }
            | SchemaOp::DropColumn { at, .. }
            | SchemaOp::RenameColumn { at, .. }
            | SchemaOp::CreateIndex { at, .. }
            | SchemaOp::DropIndex { at, .. }
            | SchemaOp::RenameIndex { at, .. }
            | SchemaOp::RenameConstraint { at, .. }
            | SchemaOp::AddConstraint { at, .. }
            | SchemaOp::DropConstraint { at, .. }
            | SchemaOp::DropPrimaryKey { at, .. }
            | SchemaOp::Unparsed { at, .. } => at,
        }
    }
}

/// The declarations of one file (or one migration), with its place in the
/// migration order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaSource {
    /// Repo-relative path with `/` separators.
    pub path: String,
    /// Sources apply in ascending `order`, then by `path`.
    pub order: OrderKey,
    pub ops: Vec<SchemaOp>,
}

impl SchemaSource {
    /// A source ordered by its path ([`OrderKey::from_path`]).
    pub fn new(path: impl Into<String>, ops: Vec<SchemaOp>) -> Self {
        let path = path.into();
        SchemaSource {
            order: OrderKey::from_path(&path),
            path,
            ops,
        }
    }
}

/// A table of the merged schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Name as first declared (possibly schema-qualified).
    pub name: String,
    pub declared_at: Location,
    /// In declaration order.
    pub columns: Vec<Column>,
    /// Primary-key columns, in key order; empty when none is known.
    pub primary_key: Vec<String>,
    /// Primary key, unique constraints, indexes and implicit indexes, in the
    /// order they were declared.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Only part of the table is known (created by `ALTER TABLE ... ADD COLUMN`
    /// or `CREATE INDEX` on a table never created, or a `CREATE TABLE` that was
    /// not understood). Rules must not conclude that an index is missing here.
    pub partial: bool,
}

impl Table {
    /// The column named `name` (case-insensitive).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The first index (in declaration order) that serves `column` given the
    /// columns fixed by equality; see [`Index::serves`].
    pub fn index_serving(&self, column: &str, equality_fixed: &[&str]) -> Option<&Index> {
        self.indexes
            .iter()
            .find(|i| i.serves(column, equality_fixed))
    }

    /// The first index whose leading part is the expression `text` (compared
    /// after [`normalize_expression`]).
    pub fn expression_index(&self, text: &str) -> Option<&Index> {
        let want = normalize_expression(text);
        self.indexes.iter().find(|i| {
            matches!(i.columns.first(), Some(IndexColumn::Expression(e)) if normalize_expression(e) == want)
        })
    }
}

/// Canonical text of an index or filter expression for comparison: lower-case,
/// without whitespace, quotes or parentheses (so pg_dump's
/// `lower((email)::text)` and a query's `LOWER(email::text)` compare equal).
pub fn normalize_expression(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '`' | '(' | ')'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The merged schema: every table by its key ([`table_key`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

impl Schema {
    /// Merges sources in migration order (by [`OrderKey`], then path), skipping
    /// down migrations ([`is_down_migration`]).
    pub fn from_sources(sources: &[SchemaSource]) -> Schema {
        let mut ordered: Vec<&SchemaSource> = sources
            .iter()
            .filter(|s| !is_down_migration(&s.path))
            .collect();
        ordered.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.path.cmp(&b.path)));
        let mut schema = Schema::default();
        for source in ordered {
            for op in &source.ops {
                schema.apply(op);
            }
        }
        schema
    }

    /// Applies one declaration. Unknown targets are tolerated: an index or a
    /// column on a table never created makes a `partial` table; dropping
    /// something unknown does nothing.
    pub fn apply(&mut self, op: &SchemaOp) {
        merge::apply(self, op);
    }

    /// The table named `name`: `public.users`, `users` and `USERS` are the same
    /// table. An unqualified name also finds a table declared under another
    /// schema when only one table has that name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        let key = table_key(name);
        if let Some(t) = self.tables.get(&key) {
            return Some(t);
        }
        if key.contains('.') {
            return None;
        }
        let suffix = format!(".{key}");
        let mut found = self.tables.iter().filter(|(k, _)| k.ends_with(&suffix));
        match (found.next(), found.next()) {
            (Some((_, t)), None) => Some(t),
            _ => None,
        }
    }

    /// The index that serves a lookup of `table.column` when the columns in
    /// `equality_fixed` are fixed by equality in the same query: one whose
    /// leading column is `column`, or whose earlier columns are all fixed.
    /// Primary keys, unique constraints and implicit indexes count; partial
    /// indexes count too (the query's predicate may well match theirs).
    pub fn index_serving(
        &self,
        table: &str,
        column: &str,
        equality_fixed: &[&str],
    ) -> Option<&Index> {
        self.table(table)?.index_serving(column, equality_fixed)
    }

    /// Foreign keys whose columns are not the leading columns (in any order)
    /// of any index, primary key or unique constraint of their table, and that
    /// the database or framework does not index by itself. Partial tables are
    /// skipped: their indexes are not known. Sorted by table key, then
    /// declaration order.
    pub fn foreign_keys_without_index(&self) -> Vec<(&Table, &ForeignKey)> {
        let mut out = Vec::new();
        for table in self.tables.values().filter(|t| !t.partial) {
            for fk in &table.foreign_keys {
                if fk.implicitly_indexed() || fk.columns.is_empty() {
                    continue;
                }
                if !table.indexes.iter().any(|i| i.leads_with(&fk.columns)) {
                    out.push((table, fk));
                }
            }
        }
        out
    }
}

/// The map key of a table name: lower-case, quotes removed, and the default
/// schema (`public`, SQLite's `main`, SQL Server's `dbo`) dropped.
pub fn table_key(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .flat_map(char::to_lowercase)
        .collect();
    for default in ["public.", "main.", "dbo."] {
        if let Some(rest) = clean.strip_prefix(default)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    clean
}

#[cfg(test)]
mod tests;
