//! Expressions to [`Expr`], recursively with a depth bound.
//!
//! - Literals: strings (escapes resolved, raw and byte strings included) and
//!   chars are `Str`, numbers `Number` as written, `true`/`false` `Bool`.
//! - `x` is `Name`, `a::b::c` / `Router::<S>::new` is `Path` (generics dropped).
//! - Calls, method calls, fields, `.await` and `?`: see [`crate::chain`].
//! - `S { a: 1, b, ..base }` is a call of `S` with named args `a`, `b` and `..`.
//! - Arrays and `vec![..]` are `List`, tuples `Tuple` (unit is the empty tuple).
//! - Binary operators map to [`BinOp`] (`+ % == != && || < >`, others `Other`).
//! - `!x`, `-x`, `*x` are `Unary`; `&x`, `&mut x`, `x as T`, `(x)` and `x?`
//!   are transparent (the inner expression).
//! - `a[i]` is `Subscript`; ranges are `Other` of their bounds.
//! - Closures are `Lambda` (params are pattern texts; the body is flattened,
//!   an expression body being a `Return`).
//! - Blocks, `if`, `match` and loops used as values: their statements are
//!   flattened into the enclosing body just before the statement that uses
//!   them, and the value is the block's tail (for a plain block with one
//!   tail) or `Other` of the tails (`if`/`match` branches).

use crate::items::Tail;
use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_DEPTH, Sink};
use crate::text::normalize;
use archlint_model::{Arg, BinOp, Expr, ExprKind, Span, TypeArgs};
use std::borrow::Cow;
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    pub(crate) fn expr(&mut self, node: Node<'a>, sink: &mut Sink<'_>, depth: u32) -> Expr {
        if depth > MAX_DEPTH {
            return self.truncated(node);
        }
        let node = self.unparen(node);
        let span = self.span(node);
        let k = self.kind(node);
        let kind = match k {
            Kind::Identifier
            | Kind::SelfKw
            | Kind::Crate
            | Kind::Super
            | Kind::Metavariable
            | Kind::TypeIdentifier
            | Kind::FieldIdentifier
            | Kind::PrimitiveType => ExprKind::Name(self.text(node).to_owned()),
            Kind::ScopedIdentifier
            | Kind::ScopedTypeIdentifier
            | Kind::GenericType
            | Kind::GenericTypeWithTurbofish => {
                let segs = self.path_segments(node);
                return self.path_expr(segs, span);
            }
            Kind::GenericFunction => match self.field(node, self.t.f.function) {
                Some(f) => {
                    let e = self.expr(f, sink, depth + 1);
                    self.record_type_args(node, e.span);
                    return e;
                }
                None => ExprKind::Other(Vec::new()),
            },
            Kind::StringLiteral => ExprKind::Str(self.string_value(node)),
            Kind::RawStringLiteral => ExprKind::Str(self.raw_string_value(node)),
            Kind::CharLiteral => ExprKind::Str(self.char_value(node)),
            Kind::IntegerLiteral | Kind::FloatLiteral => {
                ExprKind::Number(self.text(node).to_owned())
            }
            Kind::BooleanLiteral => ExprKind::Bool(self.text(node) == "true"),
            Kind::CallExpression
            | Kind::FieldExpression
            | Kind::AwaitExpression
            | Kind::TryExpression => {
                return self.chain(node, sink, depth);
            }
            Kind::StructExpression => self.struct_literal(node, sink, depth),
            Kind::ArrayExpression => ExprKind::List(self.children_exprs(node, sink, depth)),
            Kind::TupleExpression => ExprKind::Tuple(self.children_exprs(node, sink, depth)),
            Kind::UnitExpression => ExprKind::Tuple(Vec::new()),
            Kind::BinaryExpression => self.binary(node, sink, depth),
            Kind::UnaryExpression => match self.first_named(node) {
                Some(inner) => ExprKind::Unary(Box::new(self.expr(inner, sink, depth + 1))),
                None => ExprKind::Other(Vec::new()),
            },
            Kind::ReferenceExpression | Kind::TypeCastExpression => {
                match self.field(node, self.t.f.value) {
                    Some(inner) => return self.expr(inner, sink, depth + 1),
                    None => ExprKind::Other(Vec::new()),
                }
            }
            Kind::IndexExpression => {
                let mut parts = self.children_exprs(node, sink, depth);
                if parts.is_empty() {
                    ExprKind::Other(parts)
                } else {
                    let base = parts.remove(0);
                    ExprKind::Subscript(Box::new(base), parts)
                }
            }
            Kind::RangeExpression
            | Kind::AssignmentExpression
            | Kind::CompoundAssignmentExpr
            | Kind::YieldExpression
            | Kind::LetCondition => ExprKind::Other(self.children_exprs(node, sink, depth)),
            Kind::ClosureExpression => self.closure(node, sink, depth),
            Kind::MacroInvocation => self.macro_call(node, depth),
            _ if k.is_flow() => {
                let mut values = self.flow(node, Tail::Collect, sink, depth + 1);
                if k.is_plain_block()
                    && values.len() == 1
                    && let Some(v) = values.pop()
                {
                    return v;
                }
                ExprKind::Other(values)
            }
            _ => ExprKind::Other(Vec::new()),
        };
        Expr::new(kind, span)
    }

    /// Looks through parentheses iteratively (`((((x))))` costs no recursion).
    fn unparen(&mut self, mut node: Node<'a>) -> Node<'a> {
        while self.kind(node) == Kind::ParenthesizedExpression {
            match self.first_named(node) {
                Some(inner) => node = inner,
                None => break,
            }
        }
        node
    }

    /// Lowered named children that are expressions (skipping comments and attributes).
    pub(crate) fn children_exprs(
        &mut self,
        node: Node<'a>,
        sink: &mut Sink<'_>,
        depth: u32,
    ) -> Vec<Expr> {
        let mut out = Vec::new();
        self.each_named(node, |this, ch| {
            if this.kind(ch) != Kind::AttributeItem {
                out.push(this.expr(ch, sink, depth + 1));
            }
        });
        out
    }

    /// Records the turbofish of `f::<T, U>` (a `generic_function` node) for
    /// the path expression at `span`: the types' text, lifetimes left out.
    fn record_type_args(&mut self, node: Node<'a>, span: Span) {
        let Some(args) = self.field(node, self.t.f.type_arguments) else {
            return;
        };
        let mut types = Vec::new();
        self.each_named(args, |me, ch| {
            let text = me.text(ch);
            if !text.starts_with('\'') {
                types.push(normalize(text));
            }
        });
        if !types.is_empty() {
            self.facts.type_args.push(TypeArgs { span, types });
        }
    }

    /// Segments of a path node, generics dropped (`Router::<S>::new` is
    /// `Router`, `new`).
    pub(crate) fn path_segments(&mut self, node: Node<'a>) -> Vec<String> {
        let mut segs = Vec::new();
        self.path_parts(node, &mut segs);
        segs.into_iter().map(Cow::into_owned).collect()
    }

    /// Appends the segments of path node `node` to `path`, borrowed from the
    /// source where they can be. Walks the left spine iteratively.
    pub(crate) fn path_parts(&mut self, node: Node<'a>, path: &mut Vec<Cow<'a, str>>) {
        let start = path.len();
        let mut cur = Some(node);
        while let Some(n) = cur {
            cur = None;
            match self.kind(n) {
                Kind::ScopedIdentifier | Kind::ScopedTypeIdentifier => {
                    if let Some(name) = self.field(n, self.t.f.name) {
                        path.push(Cow::Borrowed(self.text(name)));
                    }
                    cur = self.field(n, self.t.f.path);
                }
                Kind::GenericType | Kind::GenericTypeWithTurbofish => {
                    cur = self.field(n, self.t.f.type_)
                }
                Kind::Identifier
                | Kind::TypeIdentifier
                | Kind::SelfKw
                | Kind::Crate
                | Kind::Super
                | Kind::Metavariable
                | Kind::PrimitiveType => path.push(Cow::Borrowed(self.text(n))),
                // `<T as Trait>::f` and anything unusual: its normalised text as one segment.
                _ => path.push(Cow::Owned(normalize(self.text(n)))),
            }
        }
        path[start..].reverse();
    }

    /// `Name` for one segment, `Path` for several.
    pub(crate) fn path_expr(&self, mut segs: Vec<String>, span: Span) -> Expr {
        let kind = if segs.len() == 1 {
            ExprKind::Name(segs.pop().unwrap_or_default())
        } else {
            ExprKind::Path(segs)
        };
        Expr::new(kind, span)
    }

    fn binary(&mut self, node: Node<'a>, sink: &mut Sink<'_>, depth: u32) -> ExprKind {
        let op = match self.field(node, self.t.f.operator).map(|o| self.kind(o)) {
            Some(k) => binop(k),
            None => BinOp::Other,
        };
        let (Some(l), Some(r)) = (
            self.field(node, self.t.f.left),
            self.field(node, self.t.f.right),
        ) else {
            return ExprKind::Other(self.children_exprs(node, sink, depth));
        };
        let l = self.expr(l, sink, depth + 1);
        let r = self.expr(r, sink, depth + 1);
        ExprKind::Binary(op, Box::new(l), Box::new(r))
    }

    fn struct_literal(&mut self, node: Node<'a>, sink: &mut Sink<'_>, depth: u32) -> ExprKind {
        let func = match self.field(node, self.t.f.name) {
            Some(n) => {
                let segs = self.path_segments(n);
                self.path_expr(segs, self.span(n))
            }
            None => Expr::new(ExprKind::Other(Vec::new()), self.span(node)),
        };
        let mut args = Vec::new();
        if let Some(body) = self.field(node, self.t.f.body) {
            self.each_named(body, |this, f| match this.kind(f) {
                Kind::FieldInitializer => {
                    let name = this
                        .field(f, this.t.f.field)
                        .map(|n| this.text(n).to_owned());
                    if let Some(v) = this.field(f, this.t.f.value) {
                        let value = this.expr(v, sink, depth + 1);
                        args.push(Arg { name, value });
                    }
                }
                Kind::ShorthandFieldInitializer => {
                    if let Some(id) = this.child_of_kind(f, Kind::Identifier) {
                        let text = this.text(id).to_owned();
                        let value = Expr::new(ExprKind::Name(text.clone()), this.span(id));
                        args.push(Arg {
                            name: Some(text),
                            value,
                        });
                    }
                }
                Kind::BaseFieldInitializer => {
                    if let Some(v) = this.first_named(f) {
                        let value = this.expr(v, sink, depth + 1);
                        args.push(Arg {
                            name: Some("..".into()),
                            value,
                        });
                    }
                }
                _ => {}
            });
        }
        ExprKind::Call {
            func: Box::new(func),
            args,
        }
    }

    fn closure(&mut self, node: Node<'a>, sink: &mut Sink<'_>, depth: u32) -> ExprKind {
        let mut params = Vec::new();
        if let Some(ps) = self.field(node, self.t.f.parameters) {
            self.each_named(ps, |this, p| {
                let pat = match this.kind(p) {
                    Kind::Parameter => this.field(p, this.t.f.pattern),
                    _ => Some(p),
                };
                if let Some(pat) = pat {
                    params.push(normalize(this.text(pat)));
                }
            });
        }
        let mut body = Vec::new();
        if let Some(b) = self.field(node, self.t.f.body) {
            let mut inner = Sink {
                stmts: &mut body,
                loops: &mut *sink.loops,
                branches: &mut *sink.branches,
                loop_idx: sink.loop_idx,
                owner: sink.owner,
                module_path: sink.module_path,
            };
            self.flow(b, Tail::Return, &mut inner, depth + 1);
        }
        ExprKind::Lambda {
            params,
            body: Box::new(body),
        }
    }

    /// A pattern as an assignment target: identifiers are `Name`, tuples
    /// `Tuple`, other destructuring `Other` of the bound names; `_` is `Other([])`.
    pub(crate) fn pattern(&mut self, node: Node<'a>, depth: u32) -> Expr {
        if depth > MAX_DEPTH {
            return self.truncated(node);
        }
        let span = self.span(node);
        let kind = match self.kind(node) {
            Kind::Identifier | Kind::SelfKw | Kind::ShorthandFieldIdentifier => {
                ExprKind::Name(self.text(node).to_owned())
            }
            Kind::MutPattern
            | Kind::RefPattern
            | Kind::ReferencePattern
            | Kind::CapturedPattern => {
                let mut inner = None;
                self.each_named(node, |this, ch| {
                    if inner.is_none() && this.kind(ch) != Kind::MutableSpecifier {
                        inner = Some(ch);
                    }
                });
                match inner {
                    Some(i) => return self.pattern(i, depth + 1),
                    None => ExprKind::Other(Vec::new()),
                }
            }
            Kind::TuplePattern => ExprKind::Tuple(self.sub_patterns(node, depth)),
            // `name: p` binds what `p` binds; shorthand `name` binds `name`.
            Kind::FieldPattern => {
                if let Some(p) = self.field(node, self.t.f.pattern) {
                    return self.pattern(p, depth + 1);
                }
                match self.child_of_kind(node, Kind::ShorthandFieldIdentifier) {
                    Some(id) => ExprKind::Name(self.text(id).to_owned()),
                    None => ExprKind::Other(Vec::new()),
                }
            }
            Kind::TupleStructPattern
            | Kind::StructPattern
            | Kind::SlicePattern
            | Kind::OrPattern => ExprKind::Other(self.sub_patterns(node, depth)),
            _ => ExprKind::Other(Vec::new()),
        };
        Expr::new(kind, span)
    }

    /// Sub-patterns that bind something (the `type` of a tuple-struct
    /// pattern, field names and literals are skipped).
    fn sub_patterns(&mut self, node: Node<'a>, depth: u32) -> Vec<Expr> {
        let type_field = self.field(node, self.t.f.type_).map(|n| n.id());
        let mut out = Vec::new();
        self.each_named(node, |this, ch| {
            if Some(ch.id()) == type_field {
                return;
            }
            let binds = matches!(
                this.kind(ch),
                Kind::Identifier
                    | Kind::ShorthandFieldIdentifier
                    | Kind::MutPattern
                    | Kind::RefPattern
                    | Kind::ReferencePattern
                    | Kind::CapturedPattern
                    | Kind::TuplePattern
                    | Kind::TupleStructPattern
                    | Kind::StructPattern
                    | Kind::SlicePattern
                    | Kind::OrPattern
                    | Kind::FieldPattern
            );
            if binds {
                out.push(this.pattern(ch, depth + 1));
            }
        });
        out
    }
}

pub(crate) fn binop(k: Kind) -> BinOp {
    match k {
        Kind::Plus => BinOp::Add,
        Kind::Percent => BinOp::Mod,
        Kind::EqEq => BinOp::Eq,
        Kind::NotEq => BinOp::NotEq,
        Kind::AndAnd => BinOp::And,
        Kind::OrOr => BinOp::Or,
        Kind::Lt => BinOp::Lt,
        Kind::Gt => BinOp::Gt,
        _ => BinOp::Other,
    }
}
