//! Column expressions and conditions of a query, lowered into its shape:
//! `User.email == x` (Eq), `<`/`>`/`>=`/`between` (Range), `in_` (In),
//! `like`/`ilike`/`contains` (Like, `ilike` as `lower(col)`), `is_(None)`
//! (IsNull), `func.lower(User.email) == x` (an expression), `and_`/`or_`/
//! `not_`/`~`, and column-to-column equalities as joins. Attributes map
//! through the model to column names; `aliased(User)` locals and Core
//! `table.c.col` are understood. A condition that is not understood makes the
//! query opaque (its shape is then withheld: an unseen condition may be the
//! indexed one).

use super::chain::{Built, parse};
use super::scope::Scope;
use archlint_model::{BinOp, ColumnOp, ColumnUse, Expr, ExprKind, TableRef};

/// A column reference: its table (when certain) and name, and the alias it
/// was reached through.
#[derive(Clone, Debug)]
pub struct ColRef {
    pub table: Option<String>,
    pub column: String,
    pub alias: Option<String>,
}

/// A model (or aliased model) a name or expression denotes.
#[derive(Clone, Debug)]
pub struct EntityRef {
    pub model: Option<super::super::models::ModelId>,
    pub table: Option<String>,
    pub alias: Option<String>,
}

/// Deepest nesting of `and_`/`or_`/`not_` followed.
const MAX_DEPTH: u32 = 16;

/// The entity an expression names: a model class, an `aliased(Model)`
/// local, or a Core table.
pub fn entity(sc: &Scope, e: &Expr) -> Option<EntityRef> {
    if let Some(m) = sc.model(e) {
        return Some(EntityRef {
            model: Some(m),
            table: sc.reg.table_of(m).map(str::to_string),
            alias: None,
        });
    }
    if let Some(t) = sc.reg.core_of(sc.index, sc.file(), e) {
        return Some(EntityRef {
            model: None,
            table: Some(t.name.clone()),
            alias: None,
        });
    }
    if let ExprKind::Name(n) = &e.kind
        && let Some((v, _)) = sc.local(n, e.span.start)
        && let ExprKind::Call { func, args } = &v.kind
        && func
            .last_name()
            .is_some_and(|f| sc.n.queries.aliased.matches(f))
        && let Some(target) = args.iter().find(|a| a.name.is_none())
    {
        let mut ent = entity(sc, &target.value)?;
        ent.alias = Some(n.clone());
        return Some(ent);
    }
    None
}

/// The column `User.email`, `alias.email` or `users.c.email` refers to.
pub fn column(sc: &Scope, e: &Expr) -> Option<ColRef> {
    let ExprKind::Attr(owner, attr) = &e.kind else {
        return None;
    };
    if let ExprKind::Attr(table, c) = &owner.kind
        && c == "c"
        && let Some(t) = sc.reg.core_of(sc.index, sc.file(), table)
    {
        return Some(ColRef {
            table: Some(t.name.clone()),
            column: attr.clone(),
            alias: None,
        });
    }
    let ent = entity(sc, owner)?;
    let m = ent.model?;
    let (t, c) = sc.reg.column(m, attr)?;
    Some(ColRef {
        table: t.map(str::to_string),
        column: c.to_string(),
        alias: ent.alias,
    })
}

/// A column, possibly inside `func.lower(...)`: the column and the
/// expression text (`lower(email)`).
fn column_or_function(sc: &Scope, e: &Expr) -> Option<(ColRef, Option<String>)> {
    if let Some(c) = column(sc, e) {
        return Some((c, None));
    }
    let ExprKind::Call { func, args } = &e.kind else {
        return None;
    };
    let ExprKind::Attr(ns, fname) = &func.kind else {
        return None;
    };
    if !ns.last_name().is_some_and(|n| sc.n.queries.func.matches(n)) {
        return None;
    }
    let [arg] = args.as_slice() else { return None };
    let c = column(sc, &arg.value)?;
    let text = format!("{}({})", fname.to_ascii_lowercase(), c.column);
    Some((c, Some(text)))
}

impl Built {
    fn use_of(&mut self, c: &ColRef, op: ColumnOp, expr: Option<String>, in_or: bool) -> ColumnUse {
        self.note_table(c);
        ColumnUse {
            table: c.table.clone(),
            column: c.column.clone(),
            op,
            expr,
            in_or,
        }
    }

    /// Makes sure a column's table is among the query's tables (joined
    /// inheritance reads a parent table the query never names).
    fn note_table(&mut self, c: &ColRef) {
        if let Some(t) = &c.table
            && !self
                .shape
                .tables
                .iter()
                .any(|r| r.name.eq_ignore_ascii_case(t) && r.alias == c.alias)
        {
            self.shape.tables.push(TableRef {
                name: t.clone(),
                alias: c.alias.clone(),
            });
        }
    }

    /// Adds the filters of one condition (`where`, `filter`, `having`, a join's ON).
    pub fn condition(&mut self, sc: &Scope, e: &Expr, in_or: bool, depth: u32) {
        if depth > MAX_DEPTH {
            self.opaque = true;
            return;
        }
        let q = &sc.n.queries;
        match &e.kind {
            ExprKind::Binary(op, l, r) => self.comparison(sc, *op, l, r, in_or, depth),
            ExprKind::Unary(inner) => {
                // `~cond` / `not_`: nothing it touches is fixed.
                let mut neg = Built::default();
                neg.condition(sc, inner, true, depth + 1);
                self.opaque |= neg.opaque;
                for mut f in neg.shape.filters {
                    f.op = ColumnOp::Other;
                    self.shape.filters.push(f);
                }
            }
            ExprKind::Call { func, args } => {
                let name = func.last_name().unwrap_or("");
                if q.and_.matches(name) || q.or_.matches(name) || q.not_.matches(name) {
                    let or = in_or || q.or_.matches(name) || q.not_.matches(name);
                    for a in args {
                        if a.name.is_some() {
                            self.opaque = true;
                            continue;
                        }
                        if q.not_.matches(name) {
                            let un =
                                Expr::new(ExprKind::Unary(Box::new(a.value.clone())), a.value.span);
                            self.condition(sc, &un, or, depth + 1);
                        } else {
                            self.condition(sc, &a.value, or, depth + 1);
                        }
                    }
                    return;
                }
                if let ExprKind::Attr(recv, m) = &func.kind
                    && let Some((c, expr)) = column_or_function(sc, recv)
                {
                    self.column_method(sc, &c, expr, m, args, in_or, depth);
                    return;
                }
                self.opaque = true;
            }
            // A bare boolean column: `filter(User.active)`.
            ExprKind::Attr(..) => match column(sc, e) {
                Some(c) => {
                    let u = self.use_of(&c, ColumnOp::Eq, None, in_or);
                    self.shape.filters.push(u);
                }
                None => self.opaque = true,
            },
            // A condition kept in a local: `cond = User.a == x` then `filter(cond)`.
            ExprKind::Name(n) => match sc.local(n, e.span.start) {
                Some((v, _)) if !matches!(v.kind, ExprKind::Name(_)) => {
                    self.condition(sc, v, in_or, depth + 1)
                }
                _ => self.opaque = true,
            },
            _ => self.opaque = true,
        }
    }

    fn comparison(&mut self, sc: &Scope, op: BinOp, l: &Expr, r: &Expr, in_or: bool, depth: u32) {
        let lc = column_or_function(sc, l);
        let rc = column_or_function(sc, r);
        match (lc, rc) {
            (Some((a, None)), Some((b, None))) if op == BinOp::Eq => {
                if in_or {
                    let ua = self.use_of(&a, ColumnOp::Other, None, true);
                    let ub = self.use_of(&b, ColumnOp::Other, None, true);
                    self.shape.filters.push(ua);
                    self.shape.filters.push(ub);
                } else {
                    let ua = self.use_of(&a, ColumnOp::Eq, None, false);
                    let ub = self.use_of(&b, ColumnOp::Eq, None, false);
                    self.shape.joins.push((ua, ub));
                }
            }
            (Some((c, expr)), None) | (None, Some((c, expr))) => {
                let value = if column_or_function(sc, l).is_some() {
                    r
                } else {
                    l
                };
                let cop = match op {
                    BinOp::Eq if matches!(value.kind, ExprKind::NoneLit) => ColumnOp::IsNull,
                    BinOp::Eq => ColumnOp::Eq,
                    BinOp::Lt | BinOp::Gt => ColumnOp::Range,
                    // `>=`, `<=`, `is`, arithmetic: only `>=`/`<=` make sense
                    // as a whole condition; `is None` does not compare.
                    BinOp::Other if !matches!(value.kind, ExprKind::NoneLit) => ColumnOp::Range,
                    _ => ColumnOp::Other,
                };
                let u = self.use_of(&c, cop, expr, in_or);
                self.shape.filters.push(u);
            }
            (Some(_), Some(_)) => {
                // Column against column with another operator, or an expression.
                for side in [l, r] {
                    if let Some((c, expr)) = column_or_function(sc, side) {
                        let u = self.use_of(&c, ColumnOp::Other, expr, in_or);
                        self.shape.filters.push(u);
                    }
                }
            }
            (None, None) => {
                // `(a == 1) & (b == 2)` / `|`: the operator is not kept, so
                // both sides count as alternatives.
                if op == BinOp::Other && is_condition(l) && is_condition(r) {
                    self.condition(sc, l, true, depth + 1);
                    self.condition(sc, r, true, depth + 1);
                } else {
                    self.opaque = true;
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn column_method(
        &mut self,
        sc: &Scope,
        c: &ColRef,
        expr: Option<String>,
        method: &str,
        args: &[archlint_model::Arg],
        in_or: bool,
        depth: u32,
    ) {
        let q = &sc.n.queries;
        let first = args.first().map(|a| &a.value);
        let (op, expr) = if q.in_methods.matches(method) {
            // `User.id.in_(select(Order.user_id)...)`: the subquery's shape too.
            if let Some(sub) = first
                && let Some(b) = parse(sc, sub, depth + 1)
            {
                self.opaque |= b.opaque;
                self.shape.subqueries.push(b.shape);
            }
            (ColumnOp::In, expr)
        } else if q.eq_methods.matches(method) {
            match first.map(|f| &f.kind) {
                Some(ExprKind::NoneLit) => (ColumnOp::IsNull, expr),
                Some(ExprKind::Bool(_)) => (ColumnOp::Eq, expr),
                _ => (ColumnOp::Other, expr),
            }
        } else if q.like_methods.matches(method) {
            let e = if q.case_insensitive.matches(method) {
                Some(format!("lower({})", c.column))
            } else {
                expr
            };
            (ColumnOp::Like, e)
        } else if q.range_methods.matches(method) {
            (ColumnOp::Range, expr)
        } else if matches!(method, "any" | "has") {
            // A relationship's EXISTS: its criterion is not a filter of this table.
            self.opaque = true;
            return;
        } else {
            (ColumnOp::Other, expr)
        };
        let u = self.use_of(c, op, expr, in_or);
        self.shape.filters.push(u);
    }

    /// `filter_by(email=x)`: equality on the given entity's attributes.
    pub fn filter_by(&mut self, sc: &Scope, target: &EntityRef, args: &[archlint_model::Arg]) {
        for a in args {
            let Some(name) = a.name.as_deref() else {
                self.opaque = true;
                continue;
            };
            let col = target
                .model
                .and_then(|m| sc.reg.column(m, name))
                .map(|(t, c)| ColRef {
                    table: t.map(str::to_string),
                    column: c.to_string(),
                    alias: target.alias.clone(),
                });
            match col {
                Some(c) => {
                    let op = if matches!(a.value.kind, ExprKind::NoneLit) {
                        ColumnOp::IsNull
                    } else {
                        ColumnOp::Eq
                    };
                    let u = self.use_of(&c, op, None, false);
                    self.shape.filters.push(u);
                }
                // `**filters` or an attribute that is not a column.
                None => self.opaque = true,
            }
        }
    }

    /// `order_by(...)` / `group_by(...)` entries.
    pub fn ordering(&mut self, sc: &Scope, args: &[archlint_model::Arg], group: bool) {
        for a in args {
            let Some(c) = ordered_column(sc, &a.value, self) else {
                continue;
            };
            let u = self.use_of(&c, ColumnOp::Other, None, false);
            if group {
                self.shape.group_by.push(u);
            } else {
                self.shape.order_by.push(u);
            }
        }
    }
}

/// The column of an ORDER BY entry: `User.x`, `User.x.desc()`, `desc(User.x)`,
/// `User.x.desc().nulls_last()`, or a string naming an attribute of the
/// primary entity.
fn ordered_column(sc: &Scope, e: &Expr, b: &Built) -> Option<ColRef> {
    let q = &sc.n.queries;
    let mut cur = e;
    for _ in 0..4 {
        if let Some(c) = column(sc, cur) {
            return Some(c);
        }
        match &cur.kind {
            ExprKind::Call { func, args } => match &func.kind {
                ExprKind::Attr(inner, m) if q.order_modifiers.matches(m) && args.is_empty() => {
                    cur = inner
                }
                _ if func
                    .last_name()
                    .is_some_and(|n| q.order_modifiers.matches(n)) =>
                {
                    cur = &args.first()?.value
                }
                _ => return None,
            },
            ExprKind::Str(s) => {
                let ent = b.entities.first()?;
                let (t, c) = sc.reg.column(ent.model?, s)?;
                return Some(ColRef {
                    table: t.map(str::to_string),
                    column: c.to_string(),
                    alias: ent.alias.clone(),
                });
            }
            _ => return None,
        }
    }
    None
}

/// Whether an expression looks like a condition (a comparison or a call of
/// a column method / conjunction), for `&` and `|`.
fn is_condition(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Binary(..) | ExprKind::Call { .. } | ExprKind::Unary(_)
    )
}
