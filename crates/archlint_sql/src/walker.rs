//! The conditions and sort keys of one query level: filters with their
//! operator, join equalities, ORDER/GROUP BY columns, and the nested queries
//! found along the way (built as shapes of their own by the [`Builder`]).

use crate::exprs::{self, HOLE_PREFIX, column_parts};
use crate::scope::Scope;
use crate::shape::Builder;
use archlint_model::{ColumnOp, ColumnUse, QueryShape};
use sqlparser::ast::{
    BinaryOperator, Expr, Ident, JoinConstraint, JoinOperator, Query, TableFactor, TableWithJoins,
    UnaryOperator,
};

/// Deepest nesting of conditions examined recursively (AND/OR chains are
/// flattened first, so this counts only real nesting).
const MAX_PREDICATE_DEPTH: usize = 128;

/// Walks the expressions of one query level, filling its shape.
pub(crate) struct Walker<'s, 'b, 'p> {
    pub shape: &'s mut QueryShape,
    scope: &'s Scope<'p>,
    builder: &'b mut Builder,
}

impl<'s, 'b, 'p> Walker<'s, 'b, 'p> {
    pub fn new(shape: &'s mut QueryShape, scope: &'s Scope<'p>, builder: &'b mut Builder) -> Self {
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
    pub fn nested(&mut self, e: &Expr) {
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
    pub fn predicate(&mut self, e: &Expr, in_or: bool, negated: bool, depth: usize) {
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
    pub fn joins(&mut self, twj: &TableWithJoins) {
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
    pub fn sort_column(&mut self, e: &Expr) -> Option<ColumnUse> {
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
