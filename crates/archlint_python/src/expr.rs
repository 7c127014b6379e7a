//! Expression lowering. Recursive, but every call goes one level deeper and
//! stops at [`MAX_EXPR_DEPTH`]; parentheses and annotation wrappers are
//! unwrapped in a loop, so `((((x))))` of any depth costs no recursion.

use crate::kinds::K;
use crate::lower::{Cx, Lowerer, MAX_EXPR_DEPTH};
use archlint_model::{Arg, BinOp, Expr, ExprKind, Span};
use tree_sitter::Node;

impl<'t> Lowerer<'t> {
    pub fn expr(&mut self, node: Node<'t>, cx: Cx) -> Expr {
        let node = self.unwrap_parens(node);
        let span = self.span(node);
        if cx.depth >= MAX_EXPR_DEPTH {
            self.facts.truncated = true;
            return self.nothing(span);
        }
        let cx = Cx {
            depth: cx.depth + 1,
            ..cx
        };
        let f = &self.k.f;
        let kind = match self.kind(node) {
            K::Identifier => ExprKind::Name(self.text(node)),
            K::Integer | K::Float => ExprKind::Number(self.text(node)),
            K::True => ExprKind::Bool(true),
            K::False => ExprKind::Bool(false),
            K::NoneLit => ExprKind::NoneLit,
            K::String | K::ConcatenatedString => return self.string(node, span, cx),
            K::NamedExpression => return self.walrus(node, span, cx),
            K::ListComprehension
            | K::SetComprehension
            | K::DictionaryComprehension
            | K::GeneratorExpression => return self.comprehension(node, span, cx),
            K::Lambda => self.lambda(node, cx),
            K::Attribute => {
                let (object, attr) = (self.child(node, f.object), self.child(node, f.attribute));
                self.attr(node, object, attr, cx)
            }
            K::MemberType => self.member_type(node, cx),
            K::Call => self.call(node, cx),
            K::Subscript => self.subscript(node, cx),
            K::GenericType => self.generic_type(node, cx),
            K::List | K::ListPattern => ExprKind::List(self.items(node, cx)),
            K::Tuple | K::ExpressionList | K::PatternList | K::TuplePattern => {
                ExprKind::Tuple(self.items(node, cx))
            }
            K::Set => ExprKind::Set(self.items(node, cx)),
            K::Dictionary => self.dict(node, cx),
            K::BinaryOperator | K::BooleanOperator => self.binary(node, cx),
            K::ComparisonOperator => self.comparison(node, cx),
            K::UnionType => {
                let mut items = self.items(node, cx);
                match (items.len(), items.pop(), items.pop()) {
                    (2, Some(r), Some(l)) => binary(BinOp::Other, l, r),
                    (_, r, l) => ExprKind::Other(items.into_iter().chain(l).chain(r).collect()),
                }
            }
            K::NotOperator | K::UnaryOperator => match self.child(node, f.argument) {
                Some(arg) => ExprKind::Unary(Box::new(self.expr(arg, cx))),
                None => ExprKind::Other(self.items(node, cx)),
            },
            K::Await => match self.first_named(node) {
                Some(inner) => ExprKind::Await(Box::new(self.expr(inner, cx))),
                None => ExprKind::Other(Vec::new()),
            },
            // Slices, conditional expressions, starred items, `yield` inside an
            // expression, ellipsis, ERROR nodes, ...: sub-expressions only.
            _ => ExprKind::Other(self.items(node, cx)),
        };
        Expr::new(kind, span)
    }

    /// Looks through `( x )` and the `type` wrapper of annotations.
    fn unwrap_parens(&mut self, mut node: Node<'t>) -> Node<'t> {
        while matches!(self.kind(node), K::ParenthesizedExpression | K::Type) {
            match self.first_named(node) {
                Some(inner) => node = inner,
                None => break,
            }
        }
        node
    }

    /// All named children, lowered.
    pub fn items(&mut self, node: Node<'t>, cx: Cx) -> Vec<Expr> {
        let mut out = self.vec_for_named(node);
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if child.is_named() {
                out.push(self.expr(child, cx));
            }
        }
        self.done(kids);
        out
    }

    /// `object.attr`, or `Other` when recovery left a part out.
    fn attr(
        &mut self,
        node: Node<'t>,
        object: Option<Node<'t>>,
        attr: Option<Node<'t>>,
        cx: Cx,
    ) -> ExprKind {
        match (object, attr) {
            (Some(o), Some(a)) => {
                let name = self.text(a);
                ExprKind::Attr(Box::new(self.expr(o, cx)), name)
            }
            _ => ExprKind::Other(self.items(node, cx)),
        }
    }

    /// `a.B` in a type position: a type, then an identifier.
    fn member_type(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let (mut object, mut attr) = (None, None);
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if !child.is_named() {
                continue;
            }
            if object.is_none() {
                object = Some(child);
            } else if self.kind(child) == K::Identifier {
                attr = Some(child);
            }
        }
        self.done(kids);
        self.attr(node, object, attr, cx)
    }

    fn call(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let Some(func) = self.child(node, self.k.f.function) else {
            return ExprKind::Other(self.items(node, cx));
        };
        let arguments = self.child(node, self.k.f.arguments);
        let func = Box::new(self.expr(func, cx));
        let args = match arguments {
            Some(a) if self.kind(a) == K::ArgumentList => self.args(a, cx),
            // `sum(x for x in xs)`: the generator is the only argument.
            Some(a) => vec![Arg {
                name: None,
                value: self.expr(a, cx),
            }],
            None => Vec::new(),
        };
        ExprKind::Call { func, args }
    }

    /// Call arguments and class bases: positional, `k=v`, `*a`, `**kw`.
    pub fn args(&mut self, node: Node<'t>, cx: Cx) -> Vec<Arg> {
        let mut out = self.vec_for_named(node);
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if !child.is_named() {
                continue;
            }
            let (name, value) = match self.kind(child) {
                K::KeywordArgument => {
                    let name = self.child(child, self.k.f.name).map(|n| self.text(n));
                    (name, self.child(child, self.k.f.value))
                }
                K::ListSplat => (Some("*".to_owned()), self.first_named(child)),
                K::DictionarySplat => (Some("**".to_owned()), self.first_named(child)),
                _ => (None, Some(child)),
            };
            let value = match value {
                Some(v) => self.expr(v, cx),
                None => {
                    let span = self.span(child);
                    self.nothing(span)
                }
            };
            out.push(Arg { name, value });
        }
        self.done(kids);
        out
    }

    /// `value[i]`, `value[a, b]`; slices are `Other`.
    fn subscript(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let value = self.child(node, self.k.f.value);
        let lowered = value.map(|v| self.expr(v, cx));
        let mut index = Vec::with_capacity(node.named_child_count().saturating_sub(1));
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if child.is_named() && Some(child) != value {
                index.push(self.expr(child, cx));
            }
        }
        self.done(kids);
        match lowered {
            Some(v) => ExprKind::Subscript(Box::new(v), index),
            None => ExprKind::Other(index),
        }
    }

    /// `Annotated[User, Depends(f)]` in an annotation parses as a generic type.
    fn generic_type(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let mut base = None;
        let mut params = Vec::new();
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            match self.kind(child) {
                K::TypeParameter => params.extend(self.items(child, cx)),
                _ if child.is_named() && base.is_none() => base = Some(self.expr(child, cx)),
                _ => {}
            }
        }
        self.done(kids);
        match base {
            Some(b) => ExprKind::Subscript(Box::new(b), params),
            None => ExprKind::Other(params),
        }
    }

    fn dict(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let mut pairs = self.vec_for_named(node);
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            let (key, value) = match self.kind(child) {
                K::Pair => (
                    self.child(child, self.k.f.key),
                    self.child(child, self.k.f.value),
                ),
                // `**other`: an empty `Other` key spanning the splat, the mapping as value.
                K::DictionarySplat => (None, self.first_named(child)),
                _ => continue,
            };
            let span = self.span(child);
            let key = match key {
                Some(k) => self.expr(k, cx),
                None => self.nothing(span),
            };
            let value = match value {
                Some(v) => self.expr(v, cx),
                None => self.nothing(span),
            };
            pairs.push((key, value));
        }
        self.done(kids);
        ExprKind::Dict(pairs)
    }

    fn binary(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let f = &self.k.f;
        let (left, right, op) = (
            self.child(node, f.left),
            self.child(node, f.right),
            self.child(node, f.operator),
        );
        let op = op.map_or(BinOp::Other, |o| bin_op(self.kind(o)));
        let left = left.map(|l| self.expr(l, cx));
        let right = right.map(|r| self.expr(r, cx));
        match (left, right) {
            (Some(l), Some(r)) => binary(op, l, r),
            (l, r) => ExprKind::Other(l.into_iter().chain(r).collect()),
        }
    }

    /// `a < b` is `Binary(Lt, a, b)`; a chain `a < b <= c` keeps its first
    /// operator and puts the remaining operands in an `Other` on the right.
    fn comparison(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let mut operands = self.vec_for_named(node);
        let mut op = None;
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            // Operators are the tokens (`not in` is one token with two words).
            if !child.is_named() {
                op.get_or_insert(bin_op(self.kind(child)));
            } else {
                operands.push(self.expr(child, cx));
            }
        }
        self.done(kids);
        let op = op.unwrap_or(BinOp::Other);
        if operands.len() < 2 {
            return ExprKind::Other(operands);
        }
        let mut rest = operands.split_off(1);
        let left = operands.pop();
        let right = if rest.len() == 1 {
            rest.pop()
        } else {
            let span = match (rest.first(), rest.last()) {
                (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
                _ => Span::default(),
            };
            Some(Expr::new(ExprKind::Other(rest), span))
        };
        match (left, right) {
            (Some(l), Some(r)) => binary(op, l, r),
            (l, r) => ExprKind::Other(l.into_iter().chain(r).collect()),
        }
    }
}

fn binary(op: BinOp, l: Expr, r: Expr) -> ExprKind {
    ExprKind::Binary(op, Box::new(l), Box::new(r))
}

fn bin_op(k: K) -> BinOp {
    match k {
        K::Plus => BinOp::Add,
        K::Percent => BinOp::Mod,
        K::EqEq => BinOp::Eq,
        K::NotEq => BinOp::NotEq,
        K::In => BinOp::In,
        K::NotIn => BinOp::NotIn,
        K::And => BinOp::And,
        K::Or => BinOp::Or,
        K::Lt => BinOp::Lt,
        K::Gt => BinOp::Gt,
        _ => BinOp::Other,
    }
}
