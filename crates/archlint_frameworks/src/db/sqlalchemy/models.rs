//! The ORM mapping of a project: which classes are mapped models (with their
//! table, attribute-to-column map and relationships), which module-level
//! names are Core `Table`s, and the table declarations behind both, for the
//! schema. Built once by [`super::declare`]; queries and lazy loads look
//! names up here.

use super::columns::ColumnSpec;
use archlint_model::schema::table_key;
use archlint_model::{ClassRef, Expr, ExprKind, ProjectIndex, Span, Symbol};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Index of a [`Model`] in [`Registry::models`].
pub type ModelId = usize;

/// A column as declared on a model or Core table.
#[derive(Clone, Debug)]
pub struct ColumnDecl<'p> {
    /// The Python attribute (same as the column for Core tables).
    pub attr: String,
    /// The database column name.
    pub column: String,
    pub spec: ColumnSpec<'p>,
    pub file: u32,
    /// The declaration line (the attribute assignment, or the `Column(...)` call).
    pub at: Span,
}

/// How a relationship loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lazy {
    /// A literal strategy (`select`, `joined`, `dynamic`...); `True` is
    /// `select`, `False` is `joined`, `None` is `noload`.
    Strategy(String),
    /// Not a literal: unknown, so never reported.
    Unknown,
}

/// A relationship attribute of a model.
#[derive(Clone, Debug)]
pub struct Relationship {
    /// The related model, when it could be resolved.
    pub target: Option<ModelId>,
    pub lazy: Lazy,
}

/// A mapped class.
#[derive(Clone, Debug)]
pub struct Model {
    pub class: ClassRef,
    pub name: String,
    /// The table its own columns live in (for single-table inheritance, the
    /// parent's); `None` when it could not be read.
    pub table: Option<String>,
    /// Attribute name to (table, column), inherited attributes included.
    pub attrs: BTreeMap<String, (Option<String>, String)>,
    pub relationships: BTreeMap<String, Relationship>,
    /// Primary-key columns of its table, in declaration order.
    pub primary_key: Vec<String>,
}

/// A table as declared by models or a Core `Table(...)`, for the schema.
#[derive(Clone, Debug)]
pub struct TableDecl<'p> {
    pub name: String,
    pub file: u32,
    /// The class name or `Table(...)` call.
    pub at: Span,
    pub columns: Vec<ColumnDecl<'p>>,
    /// Table-level items (`__table_args__` entries, `Table(...)` arguments,
    /// module-level `Index(...)`), each with its file and the model whose
    /// attributes its column expressions refer to.
    pub items: Vec<TableItemDecl<'p>>,
    /// Reflected (`autoload_with=`): columns and indexes unknown.
    pub partial: bool,
}

/// One table-level item and where its expressions are to be read.
#[derive(Clone, Debug)]
pub struct TableItemDecl<'p> {
    pub expr: &'p Expr,
    pub file: u32,
    pub model: Option<ModelId>,
}

/// A module-level Core table (`users = Table("users", metadata, ...)`).
#[derive(Clone, Debug)]
pub struct CoreTable {
    pub name: String,
    pub columns: Vec<String>,
}

/// Everything known about the project's mapping.
#[derive(Debug, Default)]
pub struct Registry<'p> {
    pub models: Vec<Model>,
    pub by_class: HashMap<ClassRef, ModelId>,
    /// Model ids by class name, for relationship targets written as strings.
    pub by_name: HashMap<String, Vec<ModelId>>,
    /// Table declarations by table key, in declaration order.
    pub tables: Vec<TableDecl<'p>>,
    pub table_keys: HashMap<String, usize>,
    /// Core tables by (file, module statement).
    pub core: HashMap<(u32, u32), CoreTable>,
    /// Every foreign key of the declared tables, resolved.
    pub fks: Vec<ResolvedFk>,
}

/// A foreign key between two declared tables, by column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedFk {
    pub table: String,
    pub column: String,
    pub ref_table: String,
    pub ref_column: String,
}

impl Registry<'_> {
    /// Whether nothing was found (queries need not be looked for).
    pub fn is_empty(&self) -> bool {
        self.models.is_empty() && self.core.is_empty()
    }

    pub fn model(&self, id: ModelId) -> Option<&Model> {
        self.models.get(id)
    }

    /// The model a name or attribute chain used in `file` refers to.
    pub fn model_of(&self, index: &ProjectIndex, file: u32, e: &Expr) -> Option<ModelId> {
        if !matches!(e.kind, ExprKind::Name(_) | ExprKind::Attr(..)) {
            return None;
        }
        match index.resolve_expr(file, e)? {
            Symbol::Class(c) => self.by_class.get(&c).copied(),
            _ => None,
        }
    }

    /// The Core table a name used in `file` refers to.
    pub fn core_of(&self, index: &ProjectIndex, file: u32, e: &Expr) -> Option<&CoreTable> {
        if !matches!(e.kind, ExprKind::Name(_) | ExprKind::Attr(..)) {
            return None;
        }
        match index.resolve_expr(file, e)? {
            Symbol::Global { file, stmt } => self.core.get(&(file, stmt)),
            _ => None,
        }
    }

    /// The model named `name` (a class name, possibly dotted) as a
    /// relationship string refers to it; `None` when ambiguous.
    pub fn model_named(&self, name: &str, prefer_file: u32) -> Option<ModelId> {
        let short = name.rsplit('.').next().unwrap_or(name);
        let ids = self.by_name.get(short)?;
        if ids.len() == 1 {
            return ids.first().copied();
        }
        let mut same_file = ids.iter().copied().filter(|&i| {
            self.models
                .get(i)
                .is_some_and(|m| m.class.file == prefer_file)
        });
        match (same_file.next(), same_file.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    }

    /// The (table, column) an attribute of model `id` maps to.
    pub fn column(&self, id: ModelId, attr: &str) -> Option<(Option<&str>, &str)> {
        let (t, c) = self.models.get(id)?.attrs.get(attr)?;
        Some((t.as_deref(), c.as_str()))
    }

    /// The declared columns of table `name` (none when it is not declared).
    pub fn table_decl_columns(&self, name: &str) -> Vec<&ColumnDecl<'_>> {
        self.table_keys
            .get(&table_key(name))
            .and_then(|&i| self.tables.get(i))
            .map(|t| t.columns.iter().collect())
            .unwrap_or_default()
    }

    /// The relationship `attr` of model `id`.
    pub fn relationship(&self, id: ModelId, attr: &str) -> Option<&Relationship> {
        self.models.get(id)?.relationships.get(attr)
    }

    /// The table of a model.
    pub fn table_of(&self, id: ModelId) -> Option<&str> {
        self.models.get(id)?.table.as_deref()
    }

    /// Column pairs `(a.col, b.col)` joining tables `a` and `b` through a
    /// foreign key in either direction; `None` unless exactly one key links them.
    pub fn fk_join(&self, a: &str, b: &str) -> Option<(String, String)> {
        let (ka, kb) = (table_key(a), table_key(b));
        let mut found = self.fks.iter().filter_map(|fk| {
            let (ft, rt) = (table_key(&fk.table), table_key(&fk.ref_table));
            if ft == ka && rt == kb {
                Some((fk.column.clone(), fk.ref_column.clone()))
            } else if ft == kb && rt == ka {
                Some((fk.ref_column.clone(), fk.column.clone()))
            } else {
                None
            }
        });
        match (found.next(), found.next()) {
            (Some(pair), None) => Some(pair),
            _ => None,
        }
    }
}
