//! sqlparser statements to [`QueryShape`]s: tables with aliases, column
//! filters with their operator, join equalities, ORDER/GROUP BY columns,
//! bounds, the select list, and nested queries as shapes of their own.
//!
//! Columns are resolved to tables through a scope per query level (its FROM
//! items), falling back to enclosing levels for correlated references; a
//! reference to a derived table, a CTE, a table function or a dynamic-SQL
//! hole is dropped, since no index of a stored table serves it.

use crate::exprs::{self, HOLE_PREFIX, column_parts};
use archlint_model::{ColumnOp, ColumnUse, QueryKind, QueryShape, Selected, TableRef};
use sqlparser::ast::{
    BinaryOperator, ConflictTarget, Delete, Expr, FromTable, GroupByExpr, Ident, Insert,
    JoinConstraint, JoinOperator, LimitClause, OnInsert, OrderBy, OrderByKind, Query, Select,
    SelectItem, SetExpr, Statement, TableFactor, TableObject, TableWithJoins, UnaryOperator,
    Update, UpdateTableFromKind, Value,
};

/// Deepest nesting of query levels examined.
const MAX_QUERY_DEPTH: usize = 40;
/// Deepest nesting of conditions examined recursively (AND/OR chains are
/// flattened first, so this counts only real nesting).
const MAX_PREDICATE_DEPTH: usize = 128;

#[derive(Clone, Debug)]
enum Target {
    Table(String),
    /// A derived table, CTE, table function or hole: not a stored table.
    Derived,
}

#[derive(Clone, Debug)]
struct Entry {
    /// Lower-case names that refer to it: the alias, or the name and its last part.
    names: Vec<String>,
    target: Target,
}

#[derive(Default)]
struct Scope<'p> {
    parent: Option<&'p Scope<'p>>,
    entries: Vec<Entry>,
    /// Lower-case CTE names visible here.
    ctes: Vec<String>,
    /// Lower-case select-list aliases (ORDER BY / GROUP BY may name them).
    aliases: Vec<String>,
}

impl Scope<'_> {
    fn is_cte(&self, name: &str) -> bool {
        self.ctes.iter().any(|c| c == name) || self.parent.is_some_and(|p| p.is_cte(name))
    }

    /// `Some((table, column))` for a column of a stored table or of unknown
    /// origin; `None` when it belongs to a derived table.
    fn resolve(&self, parts: &[Ident]) -> Option<(Option<String>, String)> {
        let (last, qualifier) = parts.split_last()?;
        let column = last.value.clone();
        if qualifier.is_empty() {
            let mut scope = Some(self);
            while let Some(s) = scope {
                match s.entries.as_slice() {
                    [] => scope = s.parent,
                    [only] => {
                        return match &only.target {
                            Target::Table(t) => Some((Some(t.clone()), column)),
                            Target::Derived => None,
                        };
                    }
                    _ => return Some((None, column)),
                }
            }
            return Some((None, column));
        }
        let q = qualifier
            .iter()
            .map(|i| i.value.to_lowercase())
            .collect::<Vec<_>>()
            .join(".");
        let mut scope = Some(self);
        while let Some(s) = scope {
            if let Some(e) = s.entries.iter().find(|e| e.names.contains(&q)) {
                return match &e.target {
                    Target::Table(t) => Some((Some(t.clone()), column)),
                    Target::Derived => None,
                };
            }
            scope = s.parent;
        }
        Some((None, column))
    }
}

/// Builds shapes; `truncated` records any bound that was hit.
#[derive(Default)]
pub(crate) struct Builder {
    depth: usize,
}

impl Builder {
    pub fn statement(&mut self, stmt: &Statement) -> QueryShape {
        self.statement_in(stmt, None)
    }

    fn statement_in(&mut self, stmt: &Statement, parent: Option<&Scope<'_>>) -> QueryShape {
        match stmt {
            Statement::Query(q) => self.query(q, parent),
            Statement::Insert(ins) => self.insert(ins, parent),
            Statement::Update(u) => self.update(u, parent),
            Statement::Delete(d) => self.delete(d, parent),
            _ => QueryShape::new(QueryKind::Other),
        }
    }

    fn query(&mut self, q: &Query, parent: Option<&Scope<'_>>) -> QueryShape {
        if self.depth >= MAX_QUERY_DEPTH {
            let mut shape = QueryShape::new(QueryKind::Select);
            shape.truncated = true;
            return shape;
        }
        self.depth += 1;
        let shape = self.query_inner(q, parent);
        self.depth -= 1;
        shape
    }

    fn query_inner(&mut self, q: &Query, parent: Option<&Scope<'_>>) -> QueryShape {
        let mut with_scope = Scope {
            parent,
            ..Scope::default()
        };
        let mut cte_shapes = Vec::new();
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                // A recursive CTE refers to itself: its name is a CTE inside it too.
                with_scope.ctes.push(cte.alias.name.value.to_lowercase());
                cte_shapes.push(self.query(&cte.query, Some(&with_scope)));
            }
        }
        let mut shape = self.set_expr(&q.body, &with_scope, q.order_by.as_ref());
        shape.subqueries.splice(0..0, cte_shapes);
        match &q.limit_clause {
            Some(LimitClause::LimitOffset { limit, offset, .. }) => {
                shape.limit |= limit.as_ref().is_some_and(bounds);
                shape.offset |= offset.is_some();
            }
            Some(LimitClause::OffsetCommaLimit { .. }) => {
                shape.limit = true;
                shape.offset = true;
            }
            None => {}
        }
        shape.limit |= q.fetch.is_some();
        shape
    }

    fn set_expr(
        &mut self,
        body: &SetExpr,
        scope: &Scope<'_>,
        order_by: Option<&OrderBy>,
    ) -> QueryShape {
        match body {
            SetExpr::Select(s) => self.select(s, scope, order_by),
            SetExpr::Query(q) => self.query(q, Some(scope)),
            SetExpr::SetOperation { left, right, .. } => {
                // ORDER BY of a UNION names output columns: not resolvable.
                let mut shape = self.set_expr(left, scope, None);
                let other = self.set_expr(right, scope, None);
                shape.subqueries.push(other);
                shape
            }
            SetExpr::Insert(s) | SetExpr::Update(s) | SetExpr::Delete(s) | SetExpr::Merge(s) => {
                self.statement_in(s, Some(scope))
            }
            SetExpr::Table(t) => {
                let mut shape = QueryShape::new(QueryKind::Select);
                if let Some(name) = &t.table_name {
                    let name = match &t.schema_name {
                        Some(schema) => format!("{}.{}", schema.value, name.value),
                        None => name.value.clone(),
                    };
                    shape.tables.push(TableRef { name, alias: None });
                }
                shape.selected = Selected::Star;
                shape
            }
            SetExpr::Values(v) => {
                let mut shape = QueryShape::new(QueryKind::Select);
                let mut w = Walker::new(&mut shape, scope, self);
                for row in &v.rows {
                    for e in &row.content {
                        w.nested(e);
                    }
                }
                shape
            }
        }
    }

    fn select(&mut self, s: &Select, parent: &Scope<'_>, order_by: Option<&OrderBy>) -> QueryShape {
        let mut shape = QueryShape::new(QueryKind::Select);
        let mut scope = Scope {
            parent: Some(parent),
            ..Scope::default()
        };
        for twj in &s.from {
            self.register_from(twj, &mut scope, &mut shape);
        }
        scope.aliases = s
            .projection
            .iter()
            .filter_map(|item| match item {
                SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_lowercase()),
                _ => None,
            })
            .collect();
        {
            let mut w = Walker::new(&mut shape, &scope, self);
            for twj in &s.from {
                w.joins(twj);
            }
            if let Some(sel) = &s.selection {
                w.predicate(sel, false, false, 0);
            }
            if let Some(h) = &s.having {
                w.nested(h);
            }
            for item in &s.projection {
                if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item
                {
                    w.nested(e);
                }
            }
            if let GroupByExpr::Expressions(list, _) = &s.group_by {
                for e in list {
                    if let Some(u) = w.sort_column(e) {
                        w.shape.group_by.push(u);
                    }
                }
            }
            if let Some(OrderByKind::Expressions(list)) = order_by.map(|o| &o.kind) {
                for o in list {
                    if let Some(u) = w.sort_column(&o.expr) {
                        w.shape.order_by.push(u);
                    }
                }
            }
        }
        shape.selected = selected(&s.projection);
        shape.aggregate = !s.projection.is_empty()
            && matches!(&s.group_by, GroupByExpr::Expressions(l, _) if l.is_empty())
            && s.projection.iter().all(|item| match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    exprs::is_aggregate(e) || matches!(e, Expr::Value(_))
                }
                _ => false,
            });
        shape.limit |= s.top.is_some();
        shape
    }

    /// Registers the FROM item's tables in `scope` and `shape.tables`;
    /// derived tables become subquery shapes.
    fn register_from(
        &mut self,
        twj: &TableWithJoins,
        scope: &mut Scope<'_>,
        shape: &mut QueryShape,
    ) {
        self.factor(&twj.relation, scope, shape);
        for j in &twj.joins {
            self.factor(&j.relation, scope, shape);
        }
    }

    fn factor(&mut self, f: &TableFactor, scope: &mut Scope<'_>, shape: &mut QueryShape) {
        match f {
            TableFactor::Table {
                name, alias, args, ..
            } => {
                let written = crate::names::object_name(name);
                let lower = written.to_lowercase();
                let alias_name = alias.as_ref().map(|a| a.name.value.clone());
                let derived = args.is_some()
                    || written.contains(HOLE_PREFIX)
                    || (name.0.len() == 1 && scope.is_cte(&lower));
                let names = match &alias_name {
                    Some(a) => vec![a.to_lowercase()],
                    None => {
                        let last = lower.rsplit('.').next().unwrap_or(&lower).to_string();
                        vec![lower.clone(), last]
                    }
                };
                if derived {
                    scope.entries.push(Entry {
                        names,
                        target: Target::Derived,
                    });
                } else {
                    scope.entries.push(Entry {
                        names,
                        target: Target::Table(written.clone()),
                    });
                    shape.tables.push(TableRef {
                        name: written,
                        alias: alias_name,
                    });
                }
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                // LATERAL subqueries may see the tables before them.
                let sub = self.query(subquery, Some(scope));
                shape.subqueries.push(sub);
                scope
                    .entries
                    .push(derived_entry(alias.as_ref().map(|a| &a.name)));
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                self.register_from(table_with_joins, scope, shape);
                if let Some(a) = alias {
                    scope.entries.push(derived_entry(Some(&a.name)));
                }
            }
            other => {
                let alias = match other {
                    TableFactor::TableFunction { alias, .. }
                    | TableFactor::Function { alias, .. }
                    | TableFactor::UNNEST { alias, .. }
                    | TableFactor::JsonTable { alias, .. } => alias.as_ref().map(|a| &a.name),
                    _ => None,
                };
                scope.entries.push(derived_entry(alias));
            }
        }
    }

    fn insert(&mut self, ins: &Insert, parent: Option<&Scope<'_>>) -> QueryShape {
        let mut shape = QueryShape::new(QueryKind::Insert);
        if let TableObject::TableName(name) = &ins.table {
            shape.tables.push(TableRef {
                name: crate::names::object_name(name),
                alias: ins.table_alias.as_ref().map(|a| a.alias.value.clone()),
            });
        }
        if let Some(source) = &ins.source {
            let fallback = Scope::default();
            let sub = self.query(source, parent.or(Some(&fallback)));
            // A plain VALUES list is not a query of its own.
            if !matches!(*source.body, SetExpr::Values(_)) || !sub.subqueries.is_empty() {
                shape.subqueries.push(sub);
            }
        }
        shape.on_conflict = match &ins.on {
            Some(OnInsert::OnConflict(oc)) => Some(match &oc.conflict_target {
                Some(ConflictTarget::Columns { columns, .. }) => crate::names::idents(columns),
                _ => Vec::new(),
            }),
            Some(OnInsert::DuplicateKeyUpdate(_)) => Some(Vec::new()),
            _ => None,
        };
        if let Some(r) = &ins.returning {
            shape.selected = selected(r);
        }
        shape
    }

    fn update(&mut self, u: &Update, parent: Option<&Scope<'_>>) -> QueryShape {
        let mut shape = QueryShape::new(QueryKind::Update);
        let root = Scope::default();
        let mut scope = Scope {
            parent: parent.or(Some(&root)),
            ..Scope::default()
        };
        self.register_from(&u.table, &mut scope, &mut shape);
        let from = match &u.from {
            Some(UpdateTableFromKind::BeforeSet(v) | UpdateTableFromKind::AfterSet(v)) => {
                v.as_slice()
            }
            None => &[],
        };
        for twj in from {
            self.register_from(twj, &mut scope, &mut shape);
        }
        {
            let mut w = Walker::new(&mut shape, &scope, self);
            w.joins(&u.table);
            for twj in from {
                w.joins(twj);
            }
            if let Some(sel) = &u.selection {
                w.predicate(sel, false, false, 0);
            }
            for a in &u.assignments {
                w.nested(&a.value);
            }
            for o in &u.order_by {
                if let Some(c) = w.sort_column(&o.expr) {
                    w.shape.order_by.push(c);
                }
            }
        }
        shape.limit = u.limit.is_some();
        if let Some(r) = &u.returning {
            shape.selected = selected(r);
        }
        shape
    }

    fn delete(&mut self, d: &Delete, parent: Option<&Scope<'_>>) -> QueryShape {
        let mut shape = QueryShape::new(QueryKind::Delete);
        let root = Scope::default();
        let mut scope = Scope {
            parent: parent.or(Some(&root)),
            ..Scope::default()
        };
        let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) = &d.from;
        let using = d.using.as_deref().unwrap_or(&[]);
        for twj in from.iter().chain(using) {
            self.register_from(twj, &mut scope, &mut shape);
        }
        {
            let mut w = Walker::new(&mut shape, &scope, self);
            for twj in from.iter().chain(using) {
                w.joins(twj);
            }
            if let Some(sel) = &d.selection {
                w.predicate(sel, false, false, 0);
            }
            for o in &d.order_by {
                if let Some(c) = w.sort_column(&o.expr) {
                    w.shape.order_by.push(c);
                }
            }
        }
        shape.limit = d.limit.is_some();
        if let Some(r) = &d.returning {
            shape.selected = selected(r);
        }
        shape
    }
}

fn derived_entry(alias: Option<&Ident>) -> Entry {
    Entry {
        names: alias
            .map(|a| vec![a.value.to_lowercase()])
            .unwrap_or_default(),
        target: Target::Derived,
    }
}

/// `LIMIT n` bounds the result; `LIMIT ALL` and `LIMIT NULL` do not.
fn bounds(e: &Expr) -> bool {
    !matches!(e, Expr::Value(v) if matches!(v.value, Value::Null))
}

fn selected(items: &[SelectItem]) -> Selected {
    let mut cols = Vec::new();
    for item in items {
        match item {
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) => return Selected::Star,
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                cols.push(match column_parts(e) {
                    Some(parts) => parts[parts.len() - 1].value.clone(),
                    None => e.to_string(),
                });
            }
            SelectItem::ExprWithAliases { expr, .. } => cols.push(expr.to_string()),
        }
    }
    Selected::Columns(cols)
}

/// Walks the expressions of one query level, filling its shape.
struct Walker<'s, 'b, 'p> {
    shape: &'s mut QueryShape,
    scope: &'s Scope<'p>,
    builder: &'b mut Builder,
}

impl<'s, 'b, 'p> Walker<'s, 'b, 'p> {
    fn new(shape: &'s mut QueryShape, scope: &'s Scope<'p>, builder: &'b mut Builder) -> Self {
        Walker {
            shape,
            scope,
            builder,
        }
    }

    fn use_of(
        &self,
        parts: &[Ident],
        op: ColumnOp,
        expr: Option<&Expr>,
        in_or: bool,
    ) -> Option<ColumnUse> {
        let (table, column) = self.scope.resolve(parts)?;
        Some(ColumnUse {
            table,
            column,
            op,
            expr: expr.map(|e| e.to_string()),
            in_or,
        })
    }

    fn subquery(&mut self, q: &Query) {
        let sub = self.builder.query(q, Some(self.scope));
        self.shape.subqueries.push(sub);
    }

    /// Subqueries anywhere in `e` (column uses are not recorded).
    fn nested(&mut self, e: &Expr) {
        let (queries, truncated) = exprs::subqueries(e);
        self.shape.truncated |= truncated;
        for q in queries {
            self.subquery(q);
        }
    }

    /// Every column in `e` as an `Other` filter, and its subqueries.
    fn other(&mut self, e: &Expr, in_or: bool) {
        let (cols, truncated) = exprs::columns(e, usize::MAX);
        self.shape.truncated |= truncated;
        for parts in cols {
            if let Some(u) = self.use_of(parts, ColumnOp::Other, None, in_or) {
                self.shape.filters.push(u);
            }
        }
        self.nested(e);
    }

    /// The single column of `e` (`email`, `lower(email)`, `data->>'k'`), with
    /// the expression when `e` is not the bare column.
    fn single<'e>(&self, e: &'e Expr) -> Option<(&'e [Ident], Option<&'e Expr>)> {
        let e = strip_nested(e);
        if let Some(parts) = column_parts(e) {
            return Some((parts, None));
        }
        let (cols, truncated) = exprs::columns(e, 2);
        if cols.len() != 1 || truncated || !exprs::subqueries(e).0.is_empty() {
            return None;
        }
        Some((cols[0], Some(e)))
    }

    fn is_value(e: &Expr) -> bool {
        exprs::columns(e, 1).0.is_empty()
    }

    fn filter(&mut self, e: &Expr, op: ColumnOp, in_or: bool, negated: bool) -> bool {
        let Some((parts, expr)) = self.single(e) else {
            return false;
        };
        let op = if negated { negate(op) } else { op };
        if let Some(u) = self.use_of(parts, op, expr, in_or) {
            self.shape.filters.push(u);
        }
        true
    }

    /// A WHERE/ON condition.
    fn predicate(&mut self, e: &Expr, in_or: bool, negated: bool, depth: usize) {
        if depth >= MAX_PREDICATE_DEPTH {
            self.shape.truncated = true;
            return;
        }
        let d = depth + 1;
        match e {
            Expr::Nested(x) => self.predicate(x, in_or, negated, d),
            Expr::UnaryOp {
                op: UnaryOperator::Not,
                expr,
            } => {
                self.predicate(expr, in_or, !negated, d);
            }
            Expr::BinaryOp { left, op, right } => match op {
                BinaryOperator::And | BinaryOperator::Or | BinaryOperator::Xor => {
                    // NOT (a AND b) is a disjunction, NOT (a OR b) a conjunction.
                    let or = match op {
                        BinaryOperator::And => in_or || negated,
                        BinaryOperator::Or => in_or || !negated,
                        _ => true,
                    };
                    for operand in chain(e, op) {
                        self.predicate(operand, or, negated, d);
                    }
                }
                _ => match comparison(op) {
                    Some(kind) => self.comparison(left, kind, right, in_or, negated),
                    None => self.other(e, in_or),
                },
            },
            Expr::IsNull(x) => self.unary(x, ColumnOp::IsNull, in_or, negated),
            Expr::IsNotNull(x) => self.unary(x, ColumnOp::IsNull, in_or, !negated),
            Expr::IsTrue(x) | Expr::IsNotFalse(x) => self.unary(x, ColumnOp::Eq, in_or, negated),
            Expr::IsFalse(x) | Expr::IsNotTrue(x) => self.unary(x, ColumnOp::Eq, in_or, !negated),
            Expr::IsNotDistinctFrom(a, b) => self.comparison(a, ColumnOp::Eq, b, in_or, negated),
            Expr::IsDistinctFrom(a, b) => self.comparison(a, ColumnOp::Eq, b, in_or, !negated),
            Expr::In {
                expr,
                target,
                negated: n,
                ..
            } => {
                let op = match target {
                    sqlparser::ast::InTarget::List(l) if l.len() == 1 => ColumnOp::Eq,
                    _ => ColumnOp::In,
                };
                let values_only = match target {
                    sqlparser::ast::InTarget::List(l) => l.iter().all(Self::is_value),
                    _ => true,
                };
                if !(values_only && self.filter(expr, op, in_or, negated ^ n)) {
                    self.other(expr, in_or);
                }
                let mut kids = Vec::new();
                let mut queries = Vec::new();
                exprs::children(e, &mut kids, &mut queries);
                for q in queries {
                    self.subquery(q);
                }
                for k in kids.iter().skip(1) {
                    self.nested(k);
                }
            }
            Expr::Between {
                expr,
                negated: n,
                low,
                high,
            } => {
                if !(Self::is_value(low)
                    && Self::is_value(high)
                    && self.filter(expr, ColumnOp::Range, in_or, negated ^ n))
                {
                    self.other(e, in_or);
                } else {
                    self.nested(low);
                    self.nested(high);
                }
            }
            Expr::Like {
                expr,
                pattern,
                negated: n,
                ..
            }
            | Expr::ILike {
                expr,
                pattern,
                negated: n,
                ..
            }
            | Expr::SimilarTo {
                expr,
                pattern,
                negated: n,
                ..
            }
            | Expr::RLike {
                expr,
                pattern,
                negated: n,
                ..
            } => {
                if Self::is_value(pattern) && self.filter(expr, ColumnOp::Like, in_or, negated ^ n)
                {
                    self.nested(pattern);
                } else {
                    self.other(e, in_or);
                }
            }
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => {
                let op = if matches!(compare_op, BinaryOperator::Eq) {
                    ColumnOp::In
                } else {
                    ColumnOp::Other
                };
                if !(Self::is_value(right) && self.filter(left, op, in_or, negated)) {
                    self.other(left, in_or);
                }
                self.nested(right);
            }
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                // A bare boolean column: `WHERE active`.
                self.filter(e, ColumnOp::Eq, in_or, negated);
            }
            _ => self.other(e, in_or),
        }
    }

    fn unary(&mut self, x: &Expr, op: ColumnOp, in_or: bool, negated: bool) {
        if !self.filter(x, op, in_or, negated) {
            self.other(x, in_or);
        }
    }

    fn comparison(&mut self, left: &Expr, op: ColumnOp, right: &Expr, in_or: bool, negated: bool) {
        let (l, r) = (self.single(left), self.single(right));
        match (l, r) {
            (Some(_), _) if Self::is_value(right) => {
                self.filter(left, op, in_or, negated);
                self.nested(right);
            }
            (_, Some(_)) if Self::is_value(left) => {
                self.filter(right, op, in_or, negated);
                self.nested(left);
            }
            (Some((lp, le)), Some((rp, re))) if op == ColumnOp::Eq && !in_or && !negated => {
                let a = self.use_of(lp, ColumnOp::Eq, le, false);
                let b = self.use_of(rp, ColumnOp::Eq, re, false);
                if let (Some(a), Some(b)) = (a, b) {
                    self.shape.joins.push((a, b));
                }
            }
            (Some(_), Some(_)) => {
                let op = if negated { negate(op) } else { op };
                let op = if op == ColumnOp::Eq {
                    ColumnOp::Other
                } else {
                    op
                };
                self.filter(left, op, in_or, false);
                self.filter(right, op, in_or, false);
            }
            _ => {
                self.other(left, in_or);
                self.other(right, in_or);
            }
        }
    }

    /// Join conditions of a FROM item: `ON` predicates and `USING` columns.
    fn joins(&mut self, twj: &TableWithJoins) {
        let mut before: Vec<&TableFactor> = vec![&twj.relation];
        for j in &twj.joins {
            match constraint(&j.join_operator) {
                Some(JoinConstraint::On(e)) => self.predicate(e, false, false, 0),
                Some(JoinConstraint::Using(names)) => {
                    let right = table_of(&j.relation);
                    let tables: Vec<String> = before.iter().filter_map(|f| table_of(f)).collect();
                    let left = match tables.as_slice() {
                        [only] => Some(only.clone()),
                        _ => None,
                    };
                    for n in names {
                        let col = crate::names::last_part(n);
                        self.shape.joins.push((
                            ColumnUse::new(left.as_deref(), &col, ColumnOp::Eq),
                            ColumnUse::new(right.as_deref(), &col, ColumnOp::Eq),
                        ));
                    }
                }
                _ => {}
            }
            before.push(&j.relation);
        }
    }

    /// An ORDER BY / GROUP BY entry: a column (or an expression of one),
    /// unless it names a select-list alias or a position.
    fn sort_column(&mut self, e: &Expr) -> Option<ColumnUse> {
        self.nested(e);
        let (parts, expr) = self.single(e)?;
        if expr.is_none()
            && parts.len() == 1
            && self.scope.aliases.contains(&parts[0].value.to_lowercase())
        {
            return None;
        }
        self.use_of(parts, ColumnOp::Other, expr, false)
    }
}

/// The operands of a chain of one boolean operator (`a AND b AND c`, as
/// sqlparser nests it to the left), in source order, without recursion.
fn chain<'e>(e: &'e Expr, op: &BinaryOperator) -> Vec<&'e Expr> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        match x {
            Expr::BinaryOp { left, op: o, right } if o == op => {
                stack.push(right);
                stack.push(left);
            }
            _ => out.push(x),
        }
    }
    out
}

fn strip_nested(mut e: &Expr) -> &Expr {
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    e
}

fn negate(op: ColumnOp) -> ColumnOp {
    match op {
        // NOT (a < 1) is still a range.
        ColumnOp::Range => ColumnOp::Range,
        _ => ColumnOp::Other,
    }
}

fn comparison(op: &BinaryOperator) -> Option<ColumnOp> {
    Some(match op {
        BinaryOperator::Eq | BinaryOperator::Spaceship => ColumnOp::Eq,
        BinaryOperator::Lt | BinaryOperator::LtEq | BinaryOperator::Gt | BinaryOperator::GtEq => {
            ColumnOp::Range
        }
        BinaryOperator::NotEq => ColumnOp::Other,
        _ => return None,
    })
}

fn constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::CrossJoin(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c)
        | JoinOperator::StraightJoin(c)
        | JoinOperator::AsOf { constraint: c, .. } => Some(c),
        _ => None,
    }
}

fn table_of(f: &TableFactor) -> Option<String> {
    match f {
        TableFactor::Table {
            name, args: None, ..
        } => {
            let n = crate::names::object_name(name);
            (!n.contains(HOLE_PREFIX)).then_some(n)
        }
        _ => None,
    }
}
