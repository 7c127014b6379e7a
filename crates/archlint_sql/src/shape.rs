//! sqlparser statements to [`QueryShape`]s: tables with aliases, column
//! filters with their operator, join equalities, ORDER/GROUP BY columns,
//! bounds, the select list, and nested queries as shapes of their own.
//!
//! Columns are resolved to tables through a scope per query level (its FROM
//! items), falling back to enclosing levels for correlated references; a
//! reference to a derived table, a CTE, a table function or a dynamic-SQL
//! hole is dropped, since no index of a stored table serves it.

use crate::exprs::{self, HOLE_PREFIX, column_parts};
use crate::scope::{Entry, Scope, Target};
use crate::walker::Walker;
use archlint_model::{QueryKind, QueryShape, Selected, TableRef};
use sqlparser::ast::{
    ConflictTarget, Delete, Expr, FromTable, GroupByExpr, Ident, Insert, LimitClause, OnInsert,
    OrderBy, OrderByKind, Query, Select, SelectItem, SetExpr, Statement, TableFactor, TableObject,
    TableWithJoins, Update, UpdateTableFromKind, Value,
};

/// Deepest nesting of query levels examined.
const MAX_QUERY_DEPTH: usize = 40;

/// Builds shapes, bounding how deep nested queries are followed (a shape cut
/// short has `truncated` set).
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

    pub fn query(&mut self, q: &Query, parent: Option<&Scope<'_>>) -> QueryShape {
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
