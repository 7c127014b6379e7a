//! Expressions that add facts to their owner besides their own value:
//! comprehensions (a loop plus per-item statements), walrus assignments (an
//! `Assign` statement) and lambdas (a nested body).
//!
//! Comprehensions. `[f(x) for x in xs if g(x)]` becomes, in the owner
//! (function, module, or class body):
//! - a `Loop { kind: Comprehension, target: x, iter: xs, parent: <enclosing loop> }`
//!   per `for` clause (later clauses nest in earlier ones; their iterables are
//!   lowered inside the previous clause's loop, since they run once per item);
//! - one `Stmt::Expr` per `if` condition and one for the element, with
//!   `loop_idx` = the innermost loop at that point, appended to the owner's
//!   body *before* the statement that contains the comprehension;
//! - the comprehension expression itself is an empty `Other`: its parts live
//!   only in the loop and those statements, so each call inside is found once.
//!
//! The same holds for `for` statements (the iterable lives only in its loop).
//! Class bodies have no `loops`; there the iterable becomes a statement too.

use crate::kinds::K;
use crate::lower::{Cx, Lowerer};
use archlint_model::{Expr, ExprKind, Loop, LoopKind, Span, Stmt, StmtKind};
use tree_sitter::Node;

impl<'t> Lowerer<'t> {
    pub fn comprehension(&mut self, node: Node<'t>, span: Span, cx: Cx) -> Expr {
        let f = &self.k.f;
        let (f_left, f_right) = (f.left, f.right);
        // The element is evaluated last, innermost.
        let element = self.child(node, f.body);
        let mut lp = cx.lp;
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            match self.kind(child) {
                K::ForInClause => {
                    let (left, right) = (self.child(child, f_left), self.child(child, f_right));
                    let here = cx.with_loop(lp);
                    let target = left.map(|n| self.expr(n, here));
                    let iter = right.map(|n| self.expr(n, here));
                    let lowered = Loop {
                        kind: LoopKind::Comprehension,
                        target,
                        iter,
                        parent: lp,
                        span,
                    };
                    lp = self.push_loop(here, lowered);
                }
                K::IfClause => {
                    let mut inner = self.kids(child);
                    while let Some(c) = inner.next() {
                        if c.is_named() {
                            let e = self.expr(c, cx.with_loop(lp));
                            let s = e.span;
                            self.push_stmt(cx.owner, StmtKind::Expr(e), s, lp);
                        }
                    }
                    self.done(inner);
                }
                _ => {}
            }
        }
        self.done(kids);
        if let Some(el) = element {
            let here = cx.with_loop(lp);
            let e = if self.kind(el) == K::Pair {
                // Dict comprehension: key and value together.
                let s = self.span(el);
                Expr::new(ExprKind::Other(self.items(el, here)), s)
            } else {
                self.expr(el, here)
            };
            let s = e.span;
            self.push_stmt(cx.owner, StmtKind::Expr(e), s, lp);
        }
        self.nothing(span)
    }

    /// `(name := value)`: an `Assign` statement in the owner (before the
    /// statement containing it), and the expression's value is the name.
    pub fn walrus(&mut self, node: Node<'t>, span: Span, cx: Cx) -> Expr {
        let (name, value) = (
            self.child(node, self.k.f.name),
            self.child(node, self.k.f.value),
        );
        let value = match value {
            Some(v) => self.expr(v, cx),
            None => self.nothing(span),
        };
        let Some(name) = name else {
            return Expr::new(ExprKind::Other(vec![value]), span);
        };
        let text = self.text(name);
        let target = Expr::new(ExprKind::Name(text.clone()), self.span(name));
        let assign = StmtKind::Assign {
            targets: vec![target],
            value,
            annotation: None,
            augmented: false,
        };
        self.push_stmt(cx.owner, assign, span, cx.lp);
        Expr::new(ExprKind::Name(text), span)
    }

    /// `lambda a, b=1: body` as `Lambda { params: [a, b], body: [Return(body)] }`.
    /// The body does not run per iteration of an enclosing loop, so it is
    /// lowered outside any loop; defaults are not kept.
    pub fn lambda(&mut self, node: Node<'t>, cx: Cx) -> ExprKind {
        let params = match self.child(node, self.k.f.parameters) {
            Some(p) => self.param_names(p),
            None => Vec::new(),
        };
        let body = self.child(node, self.k.f.body).map(|b| {
            let e = self.expr(b, cx.with_loop(None));
            let span = e.span;
            Stmt {
                kind: StmtKind::Return(e),
                span,
                loop_idx: None,
            }
        });
        ExprKind::Lambda {
            params,
            body: Box::new(body.into_iter().collect()),
        }
    }
}
