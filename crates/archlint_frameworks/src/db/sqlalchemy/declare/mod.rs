//! Building the [`Registry`]: which classes are mapped (a declarative base,
//! `db.Model`, a project base or mixin leading to one), their table names
//! (`__tablename__`, `__table__`, a `declared_attr`, Flask-SQLAlchemy's
//! snake case, single-table inheritance), columns and relationships with
//! those of mixins and abstract bases, and module-level Core `Table`s.
//! Every walk over base classes is bounded and guarded against cycles.

mod body;
mod core_tables;
mod rels;

pub use core_tables::resolve_fk_target;

use super::knowledge::SaNames;
use super::models::{ColumnDecl, Lazy, Model, ModelId, Registry, TableDecl, TableItemDecl};
use super::values::snake_case;
use crate::routes::module_value;
use archlint_model::schema::table_key;
use archlint_model::{
    Arg, ClassRef, Container, Expr, ExprKind, ProjectIndex, Stmt, StmtKind, Symbol,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// Deepest chain of base classes followed.
const MAX_DEPTH: u32 = 8;

/// What a base-class expression is.
enum Base {
    /// A declarative base (`db.Model`, `declarative_base()`, `DeclarativeBase`).
    Declarative {
        flask: bool,
        root: bool,
    },
    Class(ClassRef),
    /// SQLModel's `SQLModel`: mapped only with `table=True`.
    SqlModel,
    Other,
}

/// Builds the registry. `skip_files` are Alembic migrations, whose local
/// model classes describe history, not the schema.
pub fn build<'p>(index: &ProjectIndex<'p>, n: &SaNames, skip_files: &HashSet<u32>) -> Registry<'p> {
    let mut b = Builder {
        index,
        n,
        memo: HashMap::default(),
        flask: HashSet::default(),
        reg: Registry::default(),
        pending_rels: Vec::new(),
    };
    for (fi, file) in index.project.files.iter().enumerate() {
        let fi = fi as u32;
        if skip_files.contains(&fi) || file.language != archlint_model::Language::Python {
            continue;
        }
        b.core_tables(fi);
        for (ci, class) in file.facts.classes.iter().enumerate() {
            if class.in_function.is_none() && class.bases.iter().any(|a| a.name.is_none()) {
                b.model_of(
                    ClassRef {
                        file: fi,
                        class: ci as u32,
                    },
                    0,
                );
            }
        }
    }
    for (fi, file) in index.project.files.iter().enumerate() {
        if !skip_files.contains(&(fi as u32)) && file.language == archlint_model::Language::Python {
            b.imperative(fi as u32);
        }
    }
    b.resolve_relationships();
    b.module_indexes(skip_files);
    b.resolve_fks();
    b.reg
}

/// A relationship read from a class body, resolved once all models are known.
struct PendingRel<'p> {
    owner: ModelId,
    attr: String,
    file: u32,
    target: Option<&'p Expr>,
    target_name: Option<String>,
    lazy: Lazy,
    /// `backref="x"` / `backref=backref("x", lazy=...)`: the attribute it adds to the target.
    backref: Option<(String, Lazy)>,
}

struct Builder<'a, 'p> {
    index: &'a ProjectIndex<'p>,
    n: &'a SaNames,
    memo: HashMap<ClassRef, Option<ModelId>>,
    /// Mapped classes descending from Flask-SQLAlchemy's `db.Model`.
    flask: HashSet<ClassRef>,
    reg: Registry<'p>,
    pending_rels: Vec<PendingRel<'p>>,
}

/// What one class body declares.
#[derive(Default)]
struct Body<'p> {
    tablename: Option<Option<String>>,
    table_expr: Option<&'p Expr>,
    abstract_: bool,
    table_args: Option<&'p Expr>,
    /// `ix = Index("ix_x", col.desc())` in the class body: attached to the table.
    indexes: Vec<&'p Expr>,
    columns: Vec<ColumnDecl<'p>>,
    /// Relationship attributes: name, call arguments, annotation.
    rels: Vec<(String, &'p [Arg], Option<&'p Expr>)>,
}

impl<'a, 'p> Builder<'a, 'p> {
    fn project(&self) -> &'p archlint_model::Project {
        self.index.project
    }

    /// The model id of class `c` when it is mapped, computing it (and its
    /// mapped ancestors) on first use.
    fn model_of(&mut self, c: ClassRef, depth: u32) -> Option<ModelId> {
        if let Some(m) = self.memo.get(&c) {
            return *m;
        }
        if depth > MAX_DEPTH {
            return None;
        }
        // Guard: a cycle through bases finds `None` while in progress.
        self.memo.insert(c, None);
        let id = self.compute(c, depth);
        self.memo.insert(c, id);
        id
    }

    fn compute(&mut self, c: ClassRef, depth: u32) -> Option<ModelId> {
        let project = self.project();
        let class = project.class(c)?;
        // Breadth-first over project bases: the nearest mapped ancestor, the
        // unmapped ones (mixins, abstract bases) whose columns are inherited.
        let mut declarative = false;
        let mut flask = false;
        let mut sqlmodel = false;
        let mut root = false;
        let mut mapped_parent: Option<ModelId> = None;
        let mut mixins: Vec<ClassRef> = Vec::new();
        let mut queue: Vec<(ClassRef, u32)> = vec![(c, 0)];
        let mut seen: HashSet<ClassRef> = HashSet::from_iter([c]);
        let mut qi = 0;
        while let Some(&(cur, d)) = queue.get(qi) {
            qi += 1;
            let Some(cls) = project.class(cur) else {
                continue;
            };
            if cls.decorators.iter().any(|dec| {
                dec.last_name()
                    .is_some_and(|n| self.n.models.base_decorators.matches(n))
            }) {
                declarative = true;
                if cur == c {
                    root = true;
                }
            }
            for base in cls.bases.iter().filter(|a| a.name.is_none()) {
                match self.classify_base(cur.file, &base.value) {
                    Base::Declarative { flask: f, root: r } => {
                        declarative = true;
                        flask |= f;
                        if cur == c && r {
                            root = true;
                        }
                    }
                    Base::Class(b) => {
                        if !seen.insert(b) || d >= MAX_DEPTH {
                            continue;
                        }
                        if let Some(m) = self.model_of(b, depth + d + 1) {
                            declarative = true;
                            if mapped_parent.is_none() {
                                mapped_parent = Some(m);
                            }
                            flask |= self.flask.contains(&b);
                        } else {
                            mixins.push(b);
                            queue.push((b, d + 1));
                        }
                    }
                    Base::SqlModel => sqlmodel = true,
                    Base::Other => {}
                }
            }
        }
        // SQLModel: only `class Hero(SQLModel, table=True)` is a table.
        let table_kw = class.bases.iter().any(|a| {
            a.name.as_deref() == Some("table") && matches!(a.value.kind, ExprKind::Bool(true))
        });
        if sqlmodel {
            if !table_kw {
                return None;
            }
            declarative = true;
        }
        let body = self.read_body(c, sqlmodel);
        // A base from a package outside the scan (`superset_core`): a class
        // with its own `__tablename__` and columns is a model all the same.
        if !declarative
            && !root
            && matches!(body.tablename, Some(Some(_)))
            && self.sqlalchemy_columns(c)
        {
            declarative = true;
        }
        if !declarative || root {
            return None;
        }
        if body.abstract_ {
            return None;
        }
        // Columns of mixins and abstract bases, nearest last so they override.
        let mut inherited: Vec<ColumnDecl<'p>> = Vec::new();
        for m in mixins.iter().rev() {
            inherited.extend(self.read_body(*m, sqlmodel).columns);
        }
        let own_pk = body.columns.iter().any(|col| col.spec.primary_key);
        let parent_table = mapped_parent
            .and_then(|p| self.reg.model(p))
            .and_then(|m| m.table.clone());
        let mut sti = false;
        let table: Option<String> = if let Some(t) = body.tablename.clone() {
            t
        } else if let Some(t) = body.table_expr {
            self.table_expr_name(c.file, t)
        } else if let Some(t) = self.declared_tablename(c, &mixins) {
            Some(t)
        } else if flask && (mapped_parent.is_none() || own_pk) {
            Some(snake_case(&class.name))
        } else if sqlmodel {
            // SQLModel's default `__tablename__`.
            Some(class.name.to_lowercase())
        } else if mapped_parent.is_some() {
            sti = true;
            parent_table.clone()
        } else {
            return None;
        };
        let table = match (table, body.table_args.and_then(table_args_schema)) {
            (Some(t), Some(schema)) if !sti && !t.contains('.') => Some(format!("{schema}.{t}")),
            (t, _) => t,
        };
        let id = self.reg.models.len();
        if flask {
            self.flask.insert(c);
        }
        let mut attrs: BTreeMap<String, (Option<String>, String)> = BTreeMap::new();
        let mut relationships = BTreeMap::new();
        let mut primary_key = Vec::new();
        if let Some(p) = mapped_parent.and_then(|p| self.reg.model(p)) {
            attrs.clone_from(&p.attrs);
            relationships.clone_from(&p.relationships);
            if sti {
                primary_key.clone_from(&p.primary_key);
            }
        }
        let mut columns: Vec<ColumnDecl<'p>> = inherited;
        columns.extend(body.columns);
        // Later declarations of an attribute override earlier ones.
        let mut by_attr: Vec<ColumnDecl<'p>> = Vec::new();
        for col in columns {
            by_attr.retain(|x| x.attr != col.attr);
            by_attr.push(col);
        }
        for col in &by_attr {
            attrs.insert(col.attr.clone(), (table.clone(), col.column.clone()));
            if col.spec.primary_key && !primary_key.contains(&col.column) {
                primary_key.push(col.column.clone());
            }
        }
        // A model mapped onto a Core table: its attributes are the table's columns.
        if let Some(t) = body.table_expr
            && let Some(core) = self.core_table_of(c.file, t)
        {
            for col in &core.columns {
                attrs
                    .entry(col.clone())
                    .or_insert_with(|| (table.clone(), col.clone()));
            }
        }
        self.reg.models.push(Model {
            class: c,
            name: class.name.clone(),
            table: table.clone(),
            attrs,
            relationships: std::mem::take(&mut relationships),
            primary_key,
        });
        self.reg.by_class.insert(c, id);
        self.reg
            .by_name
            .entry(class.name.clone())
            .or_default()
            .push(id);
        // Relationships of mixins, then the class's own.
        let mut rel_sources: Vec<ClassRef> = mixins.iter().rev().copied().collect();
        rel_sources.push(c);
        for src in rel_sources {
            for (attr, args, ann) in self.read_body(src, sqlmodel).rels {
                self.pending_rel(id, src.file, attr, args, ann);
            }
        }
        if let Some(t) = &table
            && body.table_expr.is_none()
        {
            let decl = self.table_decl(t, c.file, class.name_span);
            for item in &body.indexes {
                decl.items.push(TableItemDecl {
                    expr: item,
                    file: c.file,
                    model: Some(id),
                });
            }
            if !sti && let Some(args) = body.table_args {
                for item in table_arg_items(args) {
                    decl.items.push(TableItemDecl {
                        expr: item,
                        file: c.file,
                        model: Some(id),
                    });
                }
            }
            for col in by_attr {
                if !decl
                    .columns
                    .iter()
                    .any(|x| x.column.eq_ignore_ascii_case(&col.column))
                {
                    decl.columns.push(col);
                }
            }
        }
        Some(id)
    }

    fn table_decl(
        &mut self,
        name: &str,
        file: u32,
        at: archlint_model::Span,
    ) -> &mut TableDecl<'p> {
        let key = table_key(name);
        let i = match self.reg.table_keys.get(&key) {
            Some(&i) => i,
            None => {
                self.reg.tables.push(TableDecl {
                    name: name.to_string(),
                    file,
                    at,
                    columns: Vec::new(),
                    items: Vec::new(),
                    partial: false,
                });
                let i = self.reg.tables.len() - 1;
                self.reg.table_keys.insert(key, i);
                i
            }
        };
        &mut self.reg.tables[i]
    }

    /// Classifies one base-class expression written in `file`.
    fn classify_base(&self, file: u32, e: &Expr) -> Base {
        let m = &self.n.models;
        let mut cur_file = file;
        let mut cur = e;
        for _ in 0..MAX_DEPTH {
            // `db.Model`: the Flask-SQLAlchemy extension's base.
            if let ExprKind::Attr(recv, attr) = &cur.kind
                && m.extension_model.matches(attr)
                && self.is_extension(cur_file, recv)
            {
                return Base::Declarative {
                    flask: true,
                    root: false,
                };
            }
            match self.index.resolve_expr(cur_file, cur) {
                Some(Symbol::Class(c)) => return Base::Class(c),
                Some(Symbol::Global { file: gf, stmt }) => {
                    let Some(value) = global_value(self.project(), gf, stmt) else {
                        return Base::Other;
                    };
                    if let ExprKind::Call { func, .. } = &value.kind
                        && func
                            .last_name()
                            .is_some_and(|n| m.base_factories.matches(n))
                    {
                        return Base::Declarative {
                            flask: false,
                            root: false,
                        };
                    }
                    cur_file = gf;
                    cur = value;
                }
                Some(Symbol::External(path)) => {
                    if m.sqlmodel_paths.matches(&path) {
                        return Base::SqlModel;
                    }
                    if m.declarative_paths.matches(&path) {
                        return Base::Declarative {
                            flask: false,
                            root: false,
                        };
                    }
                    let last = path.rsplit('.').next().unwrap_or(&path);
                    if m.declarative_classes.matches(last) {
                        return Base::Declarative {
                            flask: false,
                            root: true,
                        };
                    }
                    return Base::Other;
                }
                _ => return Base::Other,
            }
        }
        Base::Other
    }

    /// Whether `recv` is the Flask-SQLAlchemy extension object.
    fn is_extension(&self, file: u32, recv: &Expr) -> bool {
        let m = &self.n.models;
        if let ExprKind::Name(n) = &recv.kind
            && let Some((_, v)) = module_value(self.index, file, n)
        {
            return matches!(&v.kind, ExprKind::Call { func, .. }
                if func.last_name().is_some_and(|x| m.extensions.matches(x)));
        }
        recv.last_name()
            .is_some_and(|n| m.extension_names.matches(n))
    }

    /// `@declared_attr def __tablename__(cls): return cls.__name__.lower()`
    /// in the class or a mixin.
    fn declared_tablename(&self, c: ClassRef, mixins: &[ClassRef]) -> Option<String> {
        let project = self.project();
        let name = &project.class(c)?.name;
        for owner in std::iter::once(c).chain(mixins.iter().copied()) {
            let facts = &project.file(owner.file)?.facts;
            let f = facts.functions.iter().find(|f| {
                f.name == "__tablename__" && f.container == Container::Class(owner.class)
            });
            let Some(f) = f else { continue };
            let ret = f.body.iter().find_map(|s| match &s.kind {
                StmtKind::Return(e) => Some(e),
                _ => None,
            })?;
            // `cls.__name__.lower()` is the common form; anything else is unknown.
            if let ExprKind::Call { func, args } = &ret.kind
                && args.is_empty()
                && let ExprKind::Attr(inner, m) = &func.kind
                && m == "lower"
                && matches!(&inner.kind, ExprKind::Attr(_, a) if a == "__name__")
            {
                return Some(name.to_lowercase());
            }
            return None;
        }
        None
    }
}

/// The value of module statement `stmt` of `file` when it is an assignment.
fn global_value(project: &archlint_model::Project, file: u32, stmt: u32) -> Option<&Expr> {
    let s: &Stmt = project.file(file)?.facts.module_stmts.get(stmt as usize)?;
    match &s.kind {
        StmtKind::Assign { value, .. } => Some(value),
        _ => None,
    }
}

/// The schema items of `__table_args__`: a tuple of items (optionally ending
/// with a dict of options), or a dict alone.
fn table_arg_items(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Tuple(xs) | ExprKind::List(xs) => xs
            .iter()
            .filter(|x| matches!(x.kind, ExprKind::Call { .. }))
            .collect(),
        _ => Vec::new(),
    }
}

/// `schema` from `__table_args__`'s options dict, if any.
pub fn table_args_schema(e: &Expr) -> Option<String> {
    let dict = match &e.kind {
        ExprKind::Dict(_) => e,
        ExprKind::Tuple(xs) | ExprKind::List(xs) => xs.last()?,
        _ => return None,
    };
    let ExprKind::Dict(kvs) = &dict.kind else {
        return None;
    };
    kvs.iter().find_map(|(k, v)| {
        (k.as_str() == Some("schema"))
            .then(|| v.as_str().map(str::to_string))
            .flatten()
    })
}
