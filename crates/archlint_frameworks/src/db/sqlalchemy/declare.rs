//! Building the [`Registry`]: which classes are mapped (a declarative base,
//! `db.Model`, a project base or mixin leading to one), their table names
//! (`__tablename__`, `__table__`, a `declared_attr`, Flask-SQLAlchemy's
//! snake case, single-table inheritance), columns and relationships with
//! those of mixins and abstract bases, and module-level Core `Table`s.
//! Every walk over base classes is bounded and guarded against cycles.

use super::columns::{ColumnSpec, FkTarget, column_spec};
use super::knowledge::SaNames;
use super::models::{
    ColumnDecl, CoreTable, Lazy, Model, ModelId, Registry, Relationship, ResolvedFk, TableDecl,
    TableItemDecl,
};
use super::values::{call_in, kw_truthy, snake_case, str_value};
use crate::routes::module_value;
use archlint_model::schema::table_key;
use archlint_model::visit::walk_expr;
use archlint_model::{
    Arg, ArgsExt, ClassRef, Container, Expr, ExprKind, ProjectIndex, Stmt, StmtKind, Symbol,
};
use std::collections::{BTreeMap, HashMap, HashSet};

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
    Other,
}

/// Builds the registry. `skip_files` are Alembic migrations, whose local
/// model classes describe history, not the schema.
pub fn build<'p>(index: &ProjectIndex<'p>, n: &SaNames, skip_files: &HashSet<u32>) -> Registry<'p> {
    let mut b = Builder {
        index,
        n,
        memo: HashMap::new(),
        flask: HashSet::new(),
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
        let mut root = false;
        let mut mapped_parent: Option<ModelId> = None;
        let mut mixins: Vec<ClassRef> = Vec::new();
        let mut queue: Vec<(ClassRef, u32)> = vec![(c, 0)];
        let mut seen: HashSet<ClassRef> = HashSet::from([c]);
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
                    Base::Other => {}
                }
            }
        }
        if !declarative || root {
            return None;
        }
        let body = self.read_body(c);
        if body.abstract_ {
            return None;
        }
        // Columns of mixins and abstract bases, nearest last so they override.
        let mut inherited: Vec<ColumnDecl<'p>> = Vec::new();
        for m in mixins.iter().rev() {
            inherited.extend(self.read_body(*m).columns);
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
            for (attr, args, ann) in self.read_body(src).rels {
                self.pending_rel(id, src.file, attr, args, ann);
            }
        }
        if let Some(t) = &table
            && body.table_expr.is_none()
        {
            let decl = self.table_decl(t, c.file, class.name_span);
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

    /// Reads the statements of a class body.
    fn read_body(&self, c: ClassRef) -> Body<'p> {
        let mut out = Body::default();
        let Some(class) = self.project().class(c) else {
            return out;
        };
        let m = &self.n.models;
        for s in &class.body {
            let StmtKind::Assign {
                targets,
                value,
                annotation,
                ..
            } = &s.kind
            else {
                continue;
            };
            let [target] = targets.as_slice() else {
                continue;
            };
            let ExprKind::Name(attr) = &target.kind else {
                continue;
            };
            match attr.as_str() {
                "__tablename__" => {
                    out.tablename = Some(str_value(self.index, c.file, value));
                    continue;
                }
                "__table__" => {
                    out.table_expr = Some(value);
                    continue;
                }
                "__abstract__" => {
                    out.abstract_ = matches!(value.kind, ExprKind::Bool(true));
                    continue;
                }
                "__table_args__" => {
                    out.table_args = Some(value);
                    continue;
                }
                _ => {}
            }
            if let Some(mut spec) = column_spec(m, self.index, c.file, value) {
                // 2.0: the `Mapped[...]` annotation gives the type and nullability.
                if let Some(inner) = annotation.as_ref().and_then(|a| self.mapped_inner(a)) {
                    if spec.type_text.is_empty() {
                        spec.type_text = super::values::type_text(inner);
                    }
                    if spec.nullable.is_none() {
                        spec.nullable = Some(optional(inner));
                    }
                }
                out.columns.push(ColumnDecl {
                    column: spec.name.clone().unwrap_or_else(|| attr.clone()),
                    attr: attr.clone(),
                    spec,
                    file: c.file,
                    at: s.span,
                });
                continue;
            }
            if let ExprKind::Call { func, args } = &value.kind
                && func.last_name().is_some_and(|n| m.relationships.matches(n))
            {
                out.rels.push((attr.clone(), args, annotation.as_ref()));
                continue;
            }
            // 2.0: `name: Mapped[str]` alone declares a column.
            if matches!(&value.kind, ExprKind::Other(xs) if xs.is_empty())
                && let Some(ann) = annotation
                && self.mapped_column_annotation(ann)
            {
                out.columns.push(ColumnDecl {
                    attr: attr.clone(),
                    column: attr.clone(),
                    spec: match self.mapped_inner(ann) {
                        Some(inner) => ColumnSpec {
                            type_text: super::values::type_text(inner),
                            nullable: Some(optional(inner)),
                            ..Default::default()
                        },
                        None => ColumnSpec::default(),
                    },
                    file: c.file,
                    at: s.span,
                });
            }
        }
        out
    }

    /// `Mapped[X]` where X is a plain type, not a related class (which
    /// would need `relationship()`).
    fn mapped_column_annotation(&self, ann: &Expr) -> bool {
        let ExprKind::Subscript(head, _) = &ann.kind else {
            return false;
        };
        head.last_name()
            .is_some_and(|n| self.n.models.mapped.matches(n))
            && mapped_target(ann).is_none()
    }

    /// `X` of a `Mapped[X]` annotation.
    fn mapped_inner<'e>(&self, ann: &'e Expr) -> Option<&'e Expr> {
        let ExprKind::Subscript(head, idx) = &ann.kind else {
            return None;
        };
        if !head
            .last_name()
            .is_some_and(|n| self.n.models.mapped.matches(n))
        {
            return None;
        }
        idx.first()
    }

    fn pending_rel(
        &mut self,
        owner: ModelId,
        file: u32,
        attr: String,
        args: &'p [Arg],
        ann: Option<&'p Expr>,
    ) {
        let lazy = lazy_of(args);
        let first = args.iter().find(|a| a.name.is_none()).map(|a| &a.value);
        let (target, target_name) = match first.map(|f| (f, &f.kind)) {
            Some((_, ExprKind::Str(s))) => (None, Some(s.clone())),
            Some((_, ExprKind::Lambda { body, .. })) => {
                let ret = body.iter().find_map(|s| match &s.kind {
                    StmtKind::Return(e) | StmtKind::Expr(e) => Some(e),
                    _ => None,
                });
                (ret, None)
            }
            Some((f, _)) => (Some(f), None),
            // `Mapped[list["Order"]] = relationship(back_populates=...)`.
            None => match ann.and_then(mapped_target) {
                Some(MappedTarget::Name(n)) => (None, Some(n)),
                Some(MappedTarget::Expr(e)) => (Some(e), None),
                None => (None, None),
            },
        };
        let backref = args.keyword("backref").and_then(|b| match &b.kind {
            ExprKind::Str(s) => Some((s.clone(), Lazy::Strategy("select".into()))),
            ExprKind::Call { func, args: bargs }
                if func
                    .last_name()
                    .is_some_and(|n| self.n.models.backrefs.matches(n)) =>
            {
                let name = bargs.positional(0)?.as_str()?.to_string();
                Some((name, lazy_of(bargs)))
            }
            _ => None,
        });
        self.pending_rels.push(PendingRel {
            owner,
            attr,
            file,
            target,
            target_name,
            lazy,
            backref,
        });
    }

    /// Resolves relationship targets now that every model is known, and adds
    /// backrefs to their targets.
    fn resolve_relationships(&mut self) {
        let pending = std::mem::take(&mut self.pending_rels);
        let mut backrefs: Vec<(ModelId, String, Relationship)> = Vec::new();
        for p in &pending {
            let target = match (p.target, &p.target_name) {
                (Some(e), _) => self.reg.model_of(self.index, p.file, e),
                (None, Some(name)) => self.reg.model_named(name, p.file),
                _ => None,
            };
            if let Some(m) = self.reg.models.get_mut(p.owner) {
                m.relationships.insert(
                    p.attr.clone(),
                    Relationship {
                        target,
                        lazy: p.lazy.clone(),
                    },
                );
            }
            if let (Some(t), Some((name, lazy))) = (target, &p.backref) {
                backrefs.push((
                    t,
                    name.clone(),
                    Relationship {
                        target: Some(p.owner),
                        lazy: lazy.clone(),
                    },
                ));
            }
        }
        for (t, name, rel) in backrefs {
            if let Some(m) = self.reg.models.get_mut(t) {
                m.relationships.entry(name).or_insert(rel);
            }
        }
        // Subclasses copied their parents' relationships before these were
        // resolved: copy again, parents first (ids grow from parents to children).
        for id in 0..self.reg.models.len() {
            let parents = self.parent_ids(id);
            for p in parents {
                let Some(prels) = self.reg.model(p).map(|m| m.relationships.clone()) else {
                    continue;
                };
                if let Some(m) = self.reg.models.get_mut(id) {
                    for (k, v) in prels {
                        m.relationships.entry(k).or_insert(v);
                    }
                }
            }
        }
    }

    /// Mapped project classes among the direct bases of model `id`.
    fn parent_ids(&self, id: ModelId) -> Vec<ModelId> {
        let Some(m) = self.reg.model(id) else {
            return Vec::new();
        };
        let Some(cls) = self.project().class(m.class) else {
            return Vec::new();
        };
        cls.bases
            .iter()
            .filter(|a| a.name.is_none())
            .filter_map(|a| match self.index.resolve_expr(m.class.file, &a.value) {
                Some(Symbol::Class(c)) => self.reg.by_class.get(&c).copied(),
                _ => None,
            })
            .filter(|&p| p != id)
            .collect()
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

    fn table_expr_name(&self, file: u32, e: &Expr) -> Option<String> {
        if let Some(args) = call_in(e, &self.n.models.tables) {
            return str_value(self.index, file, args.positional(0)?);
        }
        self.core_table_of(file, e).map(|t| t.name.clone())
    }

    fn core_table_of(&self, file: u32, e: &Expr) -> Option<&CoreTable> {
        self.reg.core_of(self.index, file, e)
    }

    /// Module-level `name = Table("t", metadata, Column(...), ...)`.
    fn core_tables(&mut self, file: u32) {
        let project = self.project();
        let Some(f) = project.file(file) else { return };
        for (si, s) in f.facts.module_stmts.iter().enumerate() {
            let StmtKind::Assign { value, targets, .. } = &s.kind else {
                continue;
            };
            if !targets.iter().any(|t| matches!(t.kind, ExprKind::Name(_))) {
                continue;
            }
            let Some(args) = call_in(value, &self.n.models.tables) else {
                continue;
            };
            let Some(name) = args
                .positional(0)
                .and_then(|a| str_value(self.index, file, a))
            else {
                continue;
            };
            let reflected = kw_truthy(args, "autoload_with") || kw_truthy(args, "autoload");
            let mut cols = Vec::new();
            let mut items = Vec::new();
            for a in args.iter().filter(|a| a.name.is_none()).skip(1) {
                if let Some(spec) = column_spec(&self.n.models, self.index, file, &a.value) {
                    let Some(cname) = spec.name.clone() else {
                        continue;
                    };
                    cols.push(ColumnDecl {
                        attr: cname.clone(),
                        column: cname,
                        spec,
                        file,
                        at: a.value.span,
                    });
                } else if matches!(a.value.kind, ExprKind::Call { .. }) {
                    items.push(TableItemDecl {
                        expr: &a.value,
                        file,
                        model: None,
                    });
                }
            }
            self.reg.core.insert(
                (file, si as u32),
                CoreTable {
                    name: name.clone(),
                    columns: cols.iter().map(|c| c.column.clone()).collect(),
                },
            );
            let decl = self.table_decl(&name, file, value.span);
            decl.partial |= reflected;
            for c in cols {
                if !decl
                    .columns
                    .iter()
                    .any(|x| x.column.eq_ignore_ascii_case(&c.column))
                {
                    decl.columns.push(c);
                }
            }
            decl.items.extend(items);
        }
    }

    /// Module-level `Index("ix", User.a, User.b)` in files with models.
    fn module_indexes(&mut self, skip_files: &HashSet<u32>) {
        let project = self.project();
        let files: Vec<u32> = {
            let mut v: Vec<u32> = self.reg.models.iter().map(|m| m.class.file).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for file in files {
            if skip_files.contains(&file) {
                continue;
            }
            let Some(f) = project.file(file) else {
                continue;
            };
            for s in &f.facts.module_stmts {
                let e = match &s.kind {
                    StmtKind::Expr(e) => e,
                    StmtKind::Assign { value, .. } => value,
                    StmtKind::Return(_) => continue,
                };
                let Some(args) = call_in(e, &self.n.models.indexes) else {
                    continue;
                };
                // The table is that of the first column expression's model.
                let model = args
                    .iter()
                    .filter(|a| a.name.is_none())
                    .skip(1)
                    .find_map(|a| {
                        let mut found = None;
                        walk_expr(&a.value, |x| {
                            if found.is_none()
                                && let ExprKind::Attr(owner, _) = &x.kind
                            {
                                found = self.reg.model_of(self.index, file, owner);
                            }
                        });
                        found
                    });
                let Some(model) = model else { continue };
                let Some(table) = self.reg.table_of(model).map(str::to_string) else {
                    continue;
                };
                let key = table_key(&table);
                if let Some(&i) = self.reg.table_keys.get(&key)
                    && let Some(decl) = self.reg.tables.get_mut(i)
                {
                    decl.items.push(TableItemDecl {
                        expr: e,
                        file,
                        model: Some(model),
                    });
                }
            }
        }
    }

    /// Resolves every declared foreign key to (table, column) pairs.
    fn resolve_fks(&mut self) {
        let mut out = Vec::new();
        for t in &self.reg.tables {
            for c in &t.columns {
                for fk in &c.spec.fks {
                    if let Some((rt, rc)) = resolve_fk_target(&self.reg, self.index, c.file, fk) {
                        out.push(ResolvedFk {
                            table: t.name.clone(),
                            column: c.column.clone(),
                            ref_table: rt,
                            ref_column: rc,
                        });
                    }
                }
            }
        }
        self.reg.fks = out;
    }
}

/// Whether a mapped type admits `None`: `Optional[X]`, `X | None`, `Union[X, None]`.
fn optional(t: &Expr) -> bool {
    match &t.kind {
        ExprKind::Subscript(head, idx) => match head.last_name() {
            Some("Optional") => true,
            Some("Union") => idx.iter().any(|x| matches!(x.kind, ExprKind::NoneLit)),
            _ => false,
        },
        ExprKind::Binary(_, l, r) => {
            matches!(l.kind, ExprKind::NoneLit) || matches!(r.kind, ExprKind::NoneLit)
        }
        ExprKind::Str(s) => s.contains("None") || s.starts_with("Optional["),
        _ => false,
    }
}

/// Where a foreign key points, as (table, column).
pub fn resolve_fk_target(
    reg: &Registry,
    index: &ProjectIndex,
    file: u32,
    fk: &FkTarget,
) -> Option<(String, String)> {
    match fk {
        FkTarget::Text(t, c) => Some((t.clone(), c.clone())),
        FkTarget::Expr(e) => {
            let ExprKind::Attr(owner, attr) = &e.kind else {
                return None;
            };
            if let Some(m) = reg.model_of(index, file, owner) {
                let (t, c) = reg.column(m, attr)?;
                return Some((t?.to_string(), c.to_string()));
            }
            // `users.c.id`
            if let ExprKind::Attr(table, c) = &owner.kind
                && c == "c"
                && let Some(core) = reg.core_of(index, file, table)
            {
                return Some((core.name.clone(), attr.clone()));
            }
            None
        }
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

/// `lazy=` of a relationship: omitted is `select`; a literal is its strategy.
fn lazy_of(args: &[archlint_model::Arg]) -> Lazy {
    match args.keyword("lazy").map(|v| &v.kind) {
        None => Lazy::Strategy("select".into()),
        Some(ExprKind::Str(s)) => Lazy::Strategy(s.clone()),
        Some(ExprKind::Bool(true)) => Lazy::Strategy("select".into()),
        Some(ExprKind::Bool(false)) => Lazy::Strategy("joined".into()),
        Some(ExprKind::NoneLit) => Lazy::Strategy("noload".into()),
        Some(_) => Lazy::Unknown,
    }
}

/// The related class of a `Mapped[...]` annotation.
pub enum MappedTarget<'e> {
    /// A forward reference (`"User"`).
    Name(String),
    /// A class expression inside a collection (`list[Order]`).
    Expr(&'e Expr),
}

/// The related class named in a `Mapped[...]` annotation: `Mapped["User"]`,
/// `Mapped[list["Order"]]`, `Mapped[Optional["User"]]`, `Mapped[List[Order]]`.
/// `None` for plain types (`Mapped[int]`, `Mapped[Optional[str]]`,
/// `Mapped[str | None]`).
pub fn mapped_target(ann: &Expr) -> Option<MappedTarget<'_>> {
    let ExprKind::Subscript(_, idx) = &ann.kind else {
        return None;
    };
    let mut cur = idx.first()?;
    let mut collection = false;
    for _ in 0..4 {
        match &cur.kind {
            ExprKind::Str(s) => {
                let s = s.trim();
                let first = s.split('|').next().unwrap_or(s).trim();
                let name = first
                    .trim_start_matches("Optional[")
                    .trim_start_matches("List[")
                    .trim_start_matches("list[")
                    .trim_start_matches("Set[")
                    .trim_start_matches("set[")
                    .trim_end_matches(']')
                    .trim_matches(|c| c == '"' || c == '\'');
                return name
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                    .then(|| MappedTarget::Name(name.to_string()));
            }
            ExprKind::Subscript(head, inner) => {
                let h = head.last_name()?;
                match h {
                    "List" | "list" | "Set" | "set" | "Sequence" | "WriteOnlyMapped"
                    | "DynamicMapped" => collection = true,
                    "Optional" => {}
                    _ => return None,
                }
                cur = inner.first()?;
            }
            ExprKind::Name(_) | ExprKind::Attr(..) if collection => {
                return Some(MappedTarget::Expr(cur));
            }
            _ => return None,
        }
    }
    None
}
