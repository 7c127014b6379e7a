//! Control flow in statement position: conditions (`if`, `if let`, let
//! chains, match guards), `match` arms, loops and `let` statements. The
//! lowering rules are listed in [`crate::body`]; this file holds the pieces
//! that create loops and assignments.

use crate::body::Work;
use crate::items::Tail;
use crate::kinds::Kind;
use crate::lower::{Lowerer, Sink};
use archlint_model::{Expr, ExprKind, Loop, LoopKind, StmtKind};
use tree_sitter::Node;

impl<'a> Lowerer<'a> {
    /// An `if`/`while` condition or match guard: `let` parts are assignments,
    /// the rest `Expr` statements.
    pub(crate) fn condition(&mut self, cond: Node<'a>, sink: &mut Sink<'_>, depth: u32) {
        match self.kind(cond) {
            Kind::LetCondition => {
                if let Some((target, value)) = self.let_condition(cond, sink, depth) {
                    let kind = StmtKind::Assign {
                        targets: vec![target],
                        value,
                        annotation: None,
                        augmented: false,
                    };
                    sink.push(kind, self.span(cond));
                }
            }
            Kind::LetChain => self.each_named(cond, |this, part| this.condition(part, sink, depth)),
            _ => {
                let e = self.expr(cond, sink, depth + 1);
                sink.push(StmtKind::Expr(e), self.span(cond));
            }
        }
    }

    fn let_condition(
        &mut self,
        cond: Node<'a>,
        sink: &mut Sink<'_>,
        depth: u32,
    ) -> Option<(Expr, Expr)> {
        let value = self.field(cond, self.t.f.value)?;
        let value = self.expr(value, sink, depth + 1);
        let target = match self.field(cond, self.t.f.pattern) {
            Some(p) => self.pattern(p, depth + 1),
            None => Expr::new(ExprKind::Other(Vec::new()), self.span(cond)),
        };
        Some((target, value))
    }

    pub(crate) fn match_expr(
        &mut self,
        node: Node<'a>,
        w: Work<'a>,
        stack: &mut Vec<Work<'a>>,
        sink: &mut Sink<'_>,
        depth: u32,
    ) {
        if let Some(v) = self.field(node, self.t.f.value) {
            let e = self.expr(v, sink, depth + 1);
            sink.push(StmtKind::Expr(e), self.span(v));
        }
        let Some(arms) = self.field(node, self.t.f.body) else {
            return;
        };
        let start = stack.len();
        let mut c = self.cursor(arms);
        if c.goto_first_child() {
            loop {
                let arm = c.node();
                if self.kind(arm) == Kind::MatchArm {
                    let guard = self
                        .field(arm, self.t.f.pattern)
                        .and_then(|p| self.field(p, self.t.f.condition));
                    if let Some(g) = guard {
                        stack.push(Work {
                            node: g,
                            guard: true,
                            ..w
                        });
                    }
                    if let Some(v) = self.field(arm, self.t.f.value) {
                        stack.push(Work { node: v, ..w });
                    }
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        if let Some(seg) = stack.get_mut(start..) {
            seg.reverse();
        }
    }

    pub(crate) fn while_loop(
        &mut self,
        node: Node<'a>,
        w: Work<'a>,
        stack: &mut Vec<Work<'a>>,
        sink: &mut Sink<'_>,
        depth: u32,
    ) {
        let idx = sink.add_loop(Loop {
            kind: LoopKind::While,
            target: None,
            iter: None,
            parent: w.loop_idx,
            span: self.span(node),
        });
        sink.loop_idx = Some(idx);
        let mut target = None;
        let mut iter = None;
        if let Some(cond) = self.field(node, self.t.f.condition) {
            match self.kind(cond) {
                Kind::LetCondition => {
                    if let Some((t, v)) = self.let_condition(cond, sink, depth) {
                        target = Some(t.clone());
                        iter = Some(v.clone());
                        let kind = StmtKind::Assign {
                            targets: vec![t],
                            value: v,
                            annotation: None,
                            augmented: false,
                        };
                        sink.push(kind, self.span(cond));
                    }
                }
                Kind::LetChain => self.condition(cond, sink, depth),
                _ => {
                    let e = self.expr(cond, sink, depth + 1);
                    iter = Some(e.clone());
                    sink.push(StmtKind::Expr(e), self.span(cond));
                }
            }
        }
        if let Some(lp) = sink.loops.get_mut(idx as usize) {
            lp.target = target;
            lp.iter = iter;
        }
        if let Some(body) = self.field(node, self.t.f.body) {
            stack.push(Work {
                node: body,
                tail: Tail::Discard,
                loop_idx: Some(idx),
                guard: false,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_loop(
        &mut self,
        node: Node<'a>,
        kind: LoopKind,
        target: Option<Expr>,
        iter: Option<Expr>,
        w: Work<'a>,
        stack: &mut Vec<Work<'a>>,
        sink: &mut Sink<'_>,
    ) {
        let idx = sink.add_loop(Loop {
            kind,
            target,
            iter,
            parent: w.loop_idx,
            span: self.span(node),
        });
        if let Some(body) = self.field(node, self.t.f.body) {
            stack.push(Work {
                node: body,
                tail: Tail::Discard,
                loop_idx: Some(idx),
                guard: false,
            });
        }
    }

    pub(crate) fn let_decl(
        &mut self,
        node: Node<'a>,
        w: Work<'a>,
        stack: &mut Vec<Work<'a>>,
        sink: &mut Sink<'_>,
        depth: u32,
    ) {
        if let Some(v) = self.field(node, self.t.f.value) {
            let value = self.expr(v, sink, depth + 1);
            let target = match self.field(node, self.t.f.pattern) {
                Some(p) => self.pattern(p, depth + 1),
                None => Expr::new(ExprKind::Other(Vec::new()), self.span(node)),
            };
            let annotation = self.field(node, self.t.f.type_).map(|t| self.type_expr(t));
            let kind = StmtKind::Assign {
                targets: vec![target],
                value,
                annotation: annotation.map(Box::new),
                augmented: false,
            };
            sink.push(kind, self.span(node));
        }
        // `let P = v else { .. };`
        if let Some(alt) = self.field(node, self.t.f.alternative) {
            stack.push(Work {
                node: alt,
                tail: Tail::Discard,
                ..w
            });
        }
    }
}
