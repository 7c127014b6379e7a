//! What a chain does: its query shape (table, filters from lookups and `Q`
//! objects, joins, ordering, slicing), what it returns (a queryset, rows, one
//! instance, a value), which relations it loads eagerly, and whether every
//! part of it was understood. A chain rooted at a local queryset continues
//! the chain that local was built from, so `qs = qs.filter(...)` adds up.

use super::chain::{Chain, RelatedMgr, Root, Step};
use super::conditions::{eager, field_ref};
use super::knowledge::names;
use super::models::{ModelId, Models};
use super::scope::Scope;
use archlint_model::{Arg, ColumnOp, ColumnUse, QueryKind, QueryShape, Selected, TableRef};

/// Bound on locals followed back (`qs = qs.filter(...)` repeated).
const MAX_LOCALS: u32 = 8;

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
    pub(super) annotations: Vec<String>,
    /// Project manager and queryset classes whose methods the chain may call.
    pub(super) classes: Vec<archlint_model::ClassRef>,
    /// Custom methods being read into this chain (bounds recursion).
    pub(super) inlining: usize,
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

    pub(super) fn table(&mut self, name: String) {
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

    pub(super) fn step(&self, ev: &mut Eval, step: &Step<'a>) {
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
}
