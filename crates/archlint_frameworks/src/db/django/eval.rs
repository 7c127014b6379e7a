//! What a chain does: its query shape (table, filters from lookups and `Q`
//! objects, joins, ordering, slicing), what it returns (a queryset, rows, one
//! instance, a value), which relations it loads eagerly, and whether every
//! part of it was understood. A chain rooted at a local queryset continues
//! the chain that local was built from, so `qs = qs.filter(...)` adds up.

use super::chain::{Chain, RelatedMgr, Root, Step};
use super::knowledge::names;
use super::lookups::{Context, lookup};
use super::models::{ModelId, Models};
use super::scope::Scope;
use archlint_model::{
    Arg, ArgsExt, ColumnOp, ColumnUse, Expr, ExprKind, QueryKind, QueryShape, Selected, TableRef,
};

/// Bound on locals followed back (`qs = qs.filter(...)` repeated).
const MAX_LOCALS: u32 = 8;
/// Bound on nested `Q` objects.
const MAX_Q: u32 = 16;
/// Bound on custom managers' `get_queryset` followed through `super()`.
const MAX_MANAGERS: usize = 4;

/// What a chain returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Res {
    /// A lazy queryset (iterating it runs one query for every row).
    QuerySet,
    /// Every row, already fetched (`iterator()`, `get_list_or_404`).
    Rows,
    /// One model instance.
    Instance,
    /// A value: a count, a flag, an aggregate, a number of rows written.
    Value,
    /// `none()`: no query at all.
    Empty,
    /// A method we do not know.
    Unknown,
}

/// Relations loaded with the rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eager {
    /// `select_related`/`prefetch_related` paths (`customer__address`).
    pub paths: Vec<String>,
    /// `select_related()` with no arguments: every non-null forward relation.
    pub all_forward: bool,
    /// An argument we could not read: assume it covers everything.
    pub unknown: bool,
}

impl Eager {
    /// Whether the relation path `path` (`customer`, `customer__address`) is loaded.
    pub fn covers(&self, path: &str, forward: bool) -> bool {
        self.unknown
            || (forward && self.all_forward)
            || self.paths.iter().any(|p| {
                p == path
                    || p.strip_prefix(path)
                        .is_some_and(|rest| rest.starts_with("__"))
            })
    }

    /// What is loaded for the rows of relation `rel` (`items__product` under `items`).
    pub fn under(&self, rel: &str) -> Eager {
        let prefix = format!("{rel}__");
        Eager {
            paths: self
                .paths
                .iter()
                .filter_map(|p| p.strip_prefix(&prefix).map(str::to_string))
                .collect(),
            all_forward: false,
            unknown: self.unknown,
        }
    }
}

/// The evaluation of a chain.
#[derive(Clone, Debug)]
pub struct Eval {
    /// The model of the rows.
    pub model: ModelId,
    pub shape: QueryShape,
    /// Every part was understood (else the shape must not be trusted).
    pub known: bool,
    pub res: Res,
    pub eager: Eager,
    /// `values()`/`values_list()`: rows are plain values, not instances.
    pub plain: bool,
    /// The last call is a method we do not know (a custom manager or
    /// queryset method): it may return anything, and may cache.
    pub last_unknown: bool,
    annotations: Vec<String>,
    /// Project manager and queryset classes whose methods the chain may call.
    classes: Vec<archlint_model::ClassRef>,
    /// Custom methods being read into this chain (bounds recursion).
    inlining: usize,
}

impl Eval {
    fn new(models: &Models, model: ModelId) -> Eval {
        let mut shape = QueryShape::new(QueryKind::Select);
        shape.tables.push(TableRef {
            name: models.table(model),
            alias: None,
        });
        shape.selected = Selected::Star;
        Eval {
            model,
            shape,
            known: true,
            res: Res::QuerySet,
            eager: Eager::default(),
            plain: false,
            last_unknown: false,
            annotations: Vec::new(),
            classes: Vec::new(),
            inlining: 0,
        }
    }

    fn table(&mut self, name: String) {
        if !self.shape.tables.iter().any(|t| t.name == name) {
            self.shape.tables.push(TableRef { name, alias: None });
        }
    }

    /// Whether the query returns every row it matches.
    pub fn all_rows(&self) -> bool {
        self.known
            && matches!(self.res, Res::QuerySet | Res::Rows)
            && !self.shape.limit
            && !self.shape.aggregate
            && self.shape.kind == QueryKind::Select
    }

    /// Whether the result is a queryset or rows of model instances.
    pub fn rows_of_instances(&self) -> bool {
        matches!(self.res, Res::QuerySet | Res::Rows) && !self.plain
    }
}

impl<'a> Scope<'a, '_, '_> {
    /// Evaluates a chain.
    pub fn eval(&self, chain: &Chain<'a>) -> Option<Eval> {
        self.eval_depth(chain, 0)
    }

    fn eval_depth(&self, chain: &Chain<'a>, depth: u32) -> Option<Eval> {
        let models = self.cx.models;
        let mut ev = match &chain.root {
            Root::Manager { model, manager } => {
                let mut ev = Eval::new(models, *model);
                self.manager_queryset(&mut ev, *model, manager);
                ev
            }
            Root::Local { name, at } => {
                if depth >= MAX_LOCALS {
                    return None;
                }
                let (value, pos) = self.local(name, *at)?;
                let inner = self.chain(value, pos)?;
                self.eval_depth(&inner, depth + 1)?
            }
            Root::Related {
                owner, mgr, name, ..
            } => {
                let mut ev = self.related(mgr, owner.model)?;
                if let Some(e) = &owner.eager {
                    ev.eager = e.under(name);
                }
                ev
            }
        };
        for step in &chain.steps {
            self.step(&mut ev, step);
        }
        Some(ev)
    }

    /// What a custom manager's `get_queryset` adds (`super().get_queryset()
    /// .filter(deleted_at__isnull=True)`); a `get_queryset` we cannot read
    /// leaves the shape unknown.
    fn manager_queryset(&self, ev: &mut Eval, model: ModelId, name: &str) {
        let models = self.cx.models;
        let Some(m) = models.list.get(model) else {
            return;
        };
        let decl = if name == "_default_manager" {
            m.managers.first()
        } else if name == "_base_manager" {
            None
        } else {
            m.managers.iter().find(|x| x.name == name)
        };
        ev.classes.extend(decl.and_then(|d| d.class));
        ev.classes.extend(decl.and_then(|d| d.queryset));
        let Some(class) = decl.and_then(|d| d.class) else {
            return;
        };
        let mut cur = crate::calls::method_in_hierarchy(self.cx.index, class, "get_queryset");
        for _ in 0..MAX_MANAGERS {
            let Some(f) = cur else { return };
            let Some(func) = self.cx.index.project.func(f) else {
                return;
            };
            let ret = func.body.iter().find_map(|s| match &s.kind {
                archlint_model::StmtKind::Return(v) => Some(v),
                _ => None,
            });
            let Some(ret) = ret else {
                ev.known = false;
                return;
            };
            // The calls on the base queryset, outermost first.
            let mut steps: Vec<Step> = Vec::new();
            let mut e = ret;
            let base = loop {
                match &e.kind {
                    ExprKind::Call { func: callee, args } => match &callee.kind {
                        ExprKind::Attr(recv, m) if m == "get_queryset" => {
                            break Some(recv.as_ref());
                        }
                        ExprKind::Attr(recv, m) => {
                            steps.push(Step::Call { name: m, args });
                            e = recv;
                        }
                        // `QuerySet(self.model, using=self._db)`, `RevisionQuerySet(...)`.
                        _ if callee.last_name().is_some_and(|n| n.ends_with("QuerySet")) => {
                            break None;
                        }
                        _ => {
                            ev.known = false;
                            return;
                        }
                    },
                    _ => {
                        ev.known = false;
                        return;
                    }
                }
                if steps.len() > 32 {
                    ev.known = false;
                    return;
                }
            };
            for step in steps.iter().rev() {
                self.step(ev, step);
            }
            // `super().get_queryset()`: the parent manager's, if the project has one.
            cur = match base {
                Some(recv) if recv.last_name() == Some("super") => {
                    let owner = match func.container {
                        archlint_model::Container::Class(c) => archlint_model::ClassRef {
                            file: f.file,
                            class: c,
                        },
                        _ => return,
                    };
                    self.parent_method(owner, "get_queryset")
                }
                Some(_) => {
                    ev.known = false;
                    return;
                }
                None => return,
            };
        }
        ev.known = false;
    }

    /// A project manager or queryset method the chain calls, read into it
    /// when its body is one chain on `self` (`return self.filter(active=True)`).
    fn inline(&self, ev: &mut Eval, name: &str) -> bool {
        if ev.inlining >= MAX_MANAGERS || ev.res != Res::QuerySet {
            return false;
        }
        let Some(f) = ev
            .classes
            .iter()
            .find_map(|&c| self.queryset_method(c, name))
        else {
            return false;
        };
        let Some(func) = self.cx.index.project.func(f) else {
            return false;
        };
        let mut returns = func.body.iter().filter_map(|s| match &s.kind {
            archlint_model::StmtKind::Return(v) => Some(v),
            _ => None,
        });
        let (Some(ret), None) = (returns.next(), returns.next()) else {
            return false;
        };
        let mut steps: Vec<Step> = Vec::new();
        let mut e = ret;
        for _ in 0..32 {
            match &e.kind {
                ExprKind::Name(n) if n == "self" => break,
                ExprKind::Call { func: callee, args } => match &callee.kind {
                    // `self.get_queryset()`, `super().get_queryset()`: the base.
                    ExprKind::Attr(recv, m)
                        if m == "get_queryset"
                            && matches!(recv.last_name(), Some("self" | "super")) =>
                    {
                        break;
                    }
                    ExprKind::Attr(recv, m) => {
                        steps.push(Step::Call { name: m, args });
                        e = recv;
                    }
                    _ => return false,
                },
                ExprKind::Subscript(recv, idx) => {
                    steps.push(super::chain::slice(idx));
                    e = recv;
                }
                _ => return false,
            }
        }
        if !matches!(&e.kind, ExprKind::Name(n) if n == "self")
            && !matches!(&e.kind, ExprKind::Call { .. })
        {
            return false;
        }
        ev.inlining += 1;
        for step in steps.iter().rev() {
            self.step(ev, step);
        }
        ev.inlining -= 1;
        true
    }

    /// A method of a project manager or queryset class, also through a
    /// `Manager.from_queryset(Q)` base.
    fn queryset_method(
        &self,
        class: archlint_model::ClassRef,
        name: &str,
    ) -> Option<archlint_model::FuncRef> {
        let index = self.cx.index;
        if let Some(f) = crate::calls::method_in_hierarchy(index, class, name) {
            return Some(f);
        }
        let cls = index.project.class(class)?;
        cls.bases.iter().find_map(|b| {
            let (f, args) = b.value.as_call()?;
            if f.last_name() != Some("from_queryset") {
                return None;
            }
            match index.resolve_expr(class.file, &args.first()?.value)? {
                archlint_model::Symbol::Class(q) => {
                    crate::calls::method_in_hierarchy(index, q, name)
                }
                _ => None,
            }
        })
    }

    /// A method of one of `class`'s project base classes (not its own).
    fn parent_method(
        &self,
        class: archlint_model::ClassRef,
        name: &str,
    ) -> Option<archlint_model::FuncRef> {
        let index = self.cx.index;
        let cls = index.project.class(class)?;
        cls.bases.iter().filter(|a| a.name.is_none()).find_map(|b| {
            match index.resolve_expr(class.file, &b.value)? {
                archlint_model::Symbol::Class(p) => {
                    crate::calls::method_in_hierarchy(index, p, name)
                }
                _ => None,
            }
        })
    }

    /// The query a related manager starts from.
    pub fn related(&self, mgr: &RelatedMgr, owner: ModelId) -> Option<Eval> {
        let models = self.cx.models;
        match mgr {
            RelatedMgr::Reverse(rev) if rev.kind != super::state::RelKind::ManyToMany => {
                let from = models.list.get(rev.from)?;
                let col = from.fields.get(rev.field)?.column()?;
                let mut ev = Eval::new(models, rev.from);
                let t = models.table(rev.from);
                ev.shape
                    .filters
                    .push(ColumnUse::new(Some(&t), &col, ColumnOp::Eq));
                Some(ev)
            }
            RelatedMgr::Reverse(rev) => {
                // `tag.order_set`: rows of the declaring model through the table.
                let from = models.list.get(rev.from)?;
                let f = from.fields.get(rev.field)?;
                self.through(rev.from, f, owner, true)
            }
            RelatedMgr::ManyToMany { field, target } => {
                let m = models.list.get(owner)?;
                let f = m.fields.get(*field)?;
                self.through(owner, f, *target, false)
            }
        }
    }

    /// Rows of one side of a many-to-many relation declared by `decl` with
    /// field `f` towards `target`; `reverse` when the rows are `decl`'s.
    fn through(
        &self,
        decl: ModelId,
        f: &super::state::FieldDef,
        target: ModelId,
        reverse: bool,
    ) -> Option<Eval> {
        let models = self.cx.models;
        let r = f.relation()?;
        if r.through.is_some() {
            return None;
        }
        let own = models.list.get(decl)?.name.to_lowercase();
        let other = models.list.get(target)?.name.to_lowercase();
        let table = r
            .m2m_table
            .clone()
            .unwrap_or_else(|| format!("{}_{}", models.table(decl), f.name));
        let (decl_col, target_col) = if own == other {
            (format!("from_{own}_id"), format!("to_{own}_id"))
        } else {
            (format!("{own}_id"), format!("{other}_id"))
        };
        let (rows, row_col, owner_col) = if reverse {
            (decl, decl_col, target_col)
        } else {
            (target, target_col, decl_col)
        };
        let mut ev = Eval::new(models, rows);
        let rows_table = models.table(rows);
        let pk = models.pk_column(rows);
        ev.table(table.clone());
        ev.shape.joins.push((
            ColumnUse::new(Some(&rows_table), &pk, ColumnOp::Eq),
            ColumnUse::new(Some(&table), &row_col, ColumnOp::Eq),
        ));
        ev.shape
            .filters
            .push(ColumnUse::new(Some(&table), &owner_col, ColumnOp::Eq));
        Some(ev)
    }

    fn step(&self, ev: &mut Eval, step: &Step<'a>) {
        let n = names();
        let q = &n.qs;
        ev.last_unknown = false;
        match *step {
            Step::Slice {
                limit,
                offset,
                index,
            } => {
                ev.shape.limit |= limit;
                ev.shape.offset |= offset;
                if index && ev.res == Res::QuerySet {
                    ev.res = Res::Instance;
                }
            }
            Step::Shortcut { single, args } => {
                self.conditions(ev, args.get(1..).unwrap_or(&[]), false, true);
                if single {
                    ev.shape.limit = true;
                    ev.res = Res::Instance;
                } else {
                    ev.res = Res::Rows;
                }
            }
            Step::Call { name, args } => {
                if q.empty.matches(name) {
                    ev.res = Res::Empty;
                    return;
                }
                if q.filtering.matches(name) {
                    self.conditions(ev, args, q.negating.matches(name), false);
                }
                if q.eager.matches(name) {
                    eager(&mut ev.eager, name, args);
                }
                if q.annotations.matches(name) {
                    ev.annotations
                        .extend(args.iter().filter_map(|a| a.name.clone()));
                }
                if name == "order_by" {
                    ev.shape.order_by = self.ordering(ev, args);
                }
                if q.ordering.matches(name) {
                    ev.shape.order_by = self.ordering(ev, args);
                }
                if q.columns.matches(name) {
                    let cols: Vec<String> = args
                        .iter()
                        .filter(|a| a.name.is_none())
                        .filter_map(|a| a.value.as_str().map(str::to_string))
                        .collect();
                    if !cols.is_empty() {
                        ev.shape.selected = Selected::Columns(cols);
                    }
                }
                if q.plain_values.matches(name) {
                    ev.plain = true;
                }
                if q.aggregate.matches(name) {
                    ev.shape.aggregate = true;
                    if name == "count" {
                        ev.shape.selected = Selected::Columns(vec!["count(*)".into()]);
                    }
                }
                ev.res = if q.chain.matches(name) {
                    if ev.res == Res::QuerySet {
                        Res::QuerySet
                    } else {
                        Res::Unknown
                    }
                } else if q.rows.matches(name) {
                    Res::Rows
                } else if q.mapping.matches(name) {
                    Res::Value
                } else if q.single.matches(name) {
                    ev.shape.limit = true;
                    if q.instance.matches(name) {
                        Res::Instance
                    } else {
                        Res::Value
                    }
                } else if q.insert.matches(name) {
                    ev.shape.kind = QueryKind::Insert;
                    ev.shape.selected = Selected::None;
                    if q.instance.matches(name) {
                        Res::Instance
                    } else {
                        Res::Value
                    }
                } else if q.update.matches(name) {
                    ev.shape.kind = QueryKind::Update;
                    ev.shape.selected = Selected::None;
                    Res::Value
                } else if q.delete.matches(name) {
                    ev.shape.kind = QueryKind::Delete;
                    ev.shape.selected = Selected::None;
                    Res::Value
                } else if self.inline(ev, name) {
                    return;
                } else {
                    // Custom queryset methods mostly narrow the queryset.
                    ev.known = false;
                    ev.last_unknown = true;
                    if ev.res == Res::QuerySet {
                        Res::QuerySet
                    } else {
                        Res::Unknown
                    }
                };
            }
        }
    }

    /// `order_by("-created", "name")` on plain columns of the model.
    fn ordering(&self, ev: &Eval, args: &[Arg]) -> Vec<ColumnUse> {
        let models = self.cx.models;
        let mut out = Vec::new();
        let table = models.table(ev.model);
        for a in args.iter().filter(|a| a.name.is_none()) {
            let name = match a.value.as_str() {
                Some(s) => s.trim_start_matches('-').to_string(),
                None => match field_ref(&a.value) {
                    Some(f) => f,
                    None => continue,
                },
            };
            let column = if name == "pk" {
                Some(models.pk_column(ev.model))
            } else {
                models
                    .list
                    .get(models.concrete(ev.model))
                    .and_then(|m| {
                        m.field(&name)
                            .filter(|f| f.relation().is_none())
                            .or_else(|| {
                                name.strip_suffix("_id")
                                    .and_then(|b| m.field(b))
                                    .filter(|f| f.is_single_relation())
                            })
                    })
                    .and_then(|f| f.column())
            };
            if let Some(c) = column {
                out.push(ColumnUse::new(Some(&table), &c, ColumnOp::Other));
            }
        }
        out
    }

    /// Lookups and `Q` objects of a filtering call.
    fn conditions(&self, ev: &mut Eval, args: &[Arg], negated: bool, skip_first: bool) {
        let mut positional = 0;
        for a in args {
            match a.name.as_deref() {
                Some("defaults" | "create_defaults") => {}
                Some("*" | "**") => ev.known = false,
                Some(key) => {
                    let cx = Context {
                        negated,
                        in_or: false,
                    };
                    self.condition(ev, key, &a.value, cx);
                }
                None => {
                    positional += 1;
                    if skip_first && positional == 1 {
                        continue;
                    }
                    let cx = Context {
                        negated,
                        in_or: false,
                    };
                    self.q(ev, &a.value, cx, 0);
                }
            }
        }
    }

    fn condition(&self, ev: &mut Eval, key: &str, value: &Expr, cx: Context) {
        match lookup(self.cx.models, ev.model, key, value, cx) {
            Ok(l) => {
                for t in l.tables {
                    ev.table(t.name);
                }
                ev.shape.joins.extend(l.joins);
                ev.shape.filters.extend(l.filter);
            }
            Err(_) => {
                let first = key.split("__").next().unwrap_or(key);
                if !ev.annotations.iter().any(|a| a == first) {
                    ev.known = false;
                }
            }
        }
    }

    /// A `Q(...)` object or a combination of them. The lowered facts do not
    /// tell `|` from `&`, so conditions under a combination count as `OR`ed.
    fn q(&self, ev: &mut Eval, e: &Expr, cx: Context, depth: u32) {
        if depth > MAX_Q {
            ev.known = false;
            return;
        }
        match &e.kind {
            ExprKind::Call { func, args } if func.last_name() == Some("Q") => {
                for a in args {
                    match a.name.as_deref() {
                        Some("*" | "**") => ev.known = false,
                        Some("_connector" | "_negated") => {}
                        Some(key) => self.condition(ev, key, &a.value, cx),
                        None => self.q(ev, &a.value, cx, depth + 1),
                    }
                }
            }
            ExprKind::Tuple(xs) if xs.len() == 2 => {
                // `("field", value)` pairs inside `Q(...)`.
                match xs.first().and_then(Expr::as_str) {
                    Some(key) => {
                        if let Some(v) = xs.get(1) {
                            self.condition(ev, key, v, cx);
                        }
                    }
                    None => ev.known = false,
                }
            }
            ExprKind::Binary(_, l, r) => {
                let or = Context { in_or: true, ..cx };
                self.q(ev, l, or, depth + 1);
                self.q(ev, r, or, depth + 1);
            }
            ExprKind::Unary(x) => {
                let neg = Context {
                    negated: !cx.negated,
                    ..cx
                };
                self.q(ev, x, neg, depth + 1);
            }
            _ => ev.known = false,
        }
    }
}

/// `F("created")`, `F("created").desc()`: the field name.
fn field_ref(e: &Expr) -> Option<String> {
    let mut cur = e;
    for _ in 0..4 {
        let (f, args) = cur.as_call()?;
        match &f.kind {
            ExprKind::Attr(inner, m) if m == "desc" || m == "asc" => cur = inner,
            _ if f.last_name() == Some("F") => {
                return args
                    .positional(0)
                    .and_then(Expr::as_str)
                    .map(str::to_string);
            }
            _ => return None,
        }
    }
    None
}

/// `select_related("a", "b__c")`, `prefetch_related("x", Prefetch("y", ...))`.
fn eager(e: &mut Eager, name: &str, args: &[Arg]) {
    let positional: Vec<&Expr> = args
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    if positional.is_empty() && name == "select_related" {
        e.all_forward = true;
    }
    for v in positional {
        let path = match v.as_str() {
            Some(s) => Some(s),
            None => v.as_call().and_then(|(f, a)| {
                (f.last_name() == Some("Prefetch"))
                    .then(|| a.positional(0).or_else(|| a.keyword("lookup")))
                    .flatten()
                    .and_then(Expr::as_str)
            }),
        };
        match path {
            Some(p) => e.paths.push(p.to_string()),
            None if matches!(v.kind, ExprKind::NoneLit) => {}
            None => e.unknown = true,
        }
    }
    if args.iter().any(|a| a.name.as_deref() == Some("*")) {
        e.unknown = true;
    }
}
