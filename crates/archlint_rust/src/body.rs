//! Bodies flattened into statements, with an explicit work stack so that
//! thousands of nested blocks, `if`s or loops cost no native stack.
//!
//! - `let p: T = v;` is `Assign { targets: [p], value: v, annotation: T }`;
//!   `x = v;` and `x += v;` (augmented) are `Assign` too.
//! - Blocks (`{}`, `unsafe`, `async`, `const`, `try`) are flattened.
//! - `if c {..} else {..}`: `c` is an `Expr` statement, both blocks are
//!   flattened. `if let P = v` and `while let P = v` are
//!   `Assign { targets: [P], value: v }` (for `while let`, inside the loop,
//!   since it runs on every iteration). Let chains give one statement per part.
//! - `match v {..}`: `v` is an `Expr` statement, each arm's guard an `Expr`
//!   statement and each arm's value is flattened like a block tail.
//! - `for p in it {..}`: `it` is an `Expr` statement outside the loop, and
//!   `Loop { For, target: p, iter: it }`; `while c` is `Loop { While, iter: c }`
//!   with `c` also an `Expr` statement inside the loop; `loop {}` is `Loop { Loop }`.
//! - The tail expression of a fn or closure body, and `return v`, are `Return`
//!   (bare `return` returns the unit tuple); a tail `if`/`match`/block passes
//!   that on to its own tails. Other tails are `Expr` statements.
//! - `break v` is an `Expr` statement of `v`; `continue` gives nothing.
//! - Items inside bodies: `use` adds imports, `const`/`static` are `Assign`
//!   statements here, fns/impls/traits/mods are lowered as items (fns get
//!   `Container::Function(owner)`).

use crate::items::{Scope, Tail};
use crate::kinds::Kind;
use crate::lower::{Lowerer, MAX_DEPTH, Sink};
use archlint_model::{Branch, Expr, ExprKind, LoopIdx, LoopKind, StmtKind};
use tree_sitter::Node;

/// One node waiting to be lowered in statement position.
pub(crate) struct Work<'a> {
    pub node: Node<'a>,
    pub tail: Tail,
    pub loop_idx: Option<LoopIdx>,
    /// A match guard: emitted as a condition rather than flattened.
    pub guard: bool,
}

impl<'a> Lowerer<'a> {
    /// Lowers `root` in statement position into `sink`. With [`Tail::Collect`],
    /// the values of the tail expressions are returned instead of emitted.
    pub(crate) fn flow(
        &mut self,
        root: Node<'a>,
        tail: Tail,
        sink: &mut Sink<'_>,
        depth: u32,
    ) -> Vec<Expr> {
        let mut values = Vec::new();
        if depth > MAX_DEPTH {
            self.facts.truncated = true;
            return values;
        }
        let saved = sink.loop_idx;
        let mut stack = self.work_stacks.pop().unwrap_or_default();
        stack.push(Work {
            node: root,
            tail,
            loop_idx: sink.loop_idx,
            guard: false,
        });
        let mut attrs: Vec<Node<'a>> = Vec::new();
        while let Some(w) = stack.pop() {
            sink.loop_idx = w.loop_idx;
            if w.guard {
                self.condition(w.node, sink, depth);
            } else {
                self.flow_one(w, &mut stack, &mut attrs, sink, &mut values, depth);
            }
        }
        sink.loop_idx = saved;
        self.work_stacks.push(stack);
        values
    }

    fn flow_one(
        &mut self,
        w: Work<'a>,
        stack: &mut Vec<Work<'a>>,
        attrs: &mut Vec<Node<'a>>,
        sink: &mut Sink<'_>,
        values: &mut Vec<Expr>,
        depth: u32,
    ) {
        let node = w.node;
        let k = self.kind(node);
        if k == Kind::AttributeItem {
            attrs.push(node);
            return;
        }
        if k.is_comment() {
            return;
        }
        // Attributes apply to the next statement only.
        let item_attrs = std::mem::take(attrs);
        match k {
            Kind::Block => self.push_block(node, w.tail, w.loop_idx, stack),
            Kind::UnsafeBlock
            | Kind::AsyncBlock
            | Kind::ConstBlock
            | Kind::TryBlock
            | Kind::GenBlock => {
                if let Some(b) = self.child_of_kind(node, Kind::Block) {
                    stack.push(Work { node: b, ..w });
                }
            }
            Kind::ExpressionStatement | Kind::ElseClause => {
                if let Some(inner) = self.first_named(node) {
                    stack.push(Work { node: inner, ..w });
                }
            }
            Kind::IfExpression => {
                let cond = self.field(node, self.t.f.condition);
                if let Some(cond) = cond {
                    self.condition(cond, sink, depth);
                }
                if let (Some(c), Some(body)) = (cond, self.field(node, self.t.f.consequence)) {
                    sink.branches.push(Branch {
                        cond: self.span(c),
                        body: self.span(body),
                    });
                }
                if let Some(alt) = self.field(node, self.t.f.alternative) {
                    stack.push(Work { node: alt, ..w });
                }
                if let Some(cons) = self.field(node, self.t.f.consequence) {
                    stack.push(Work { node: cons, ..w });
                }
            }
            Kind::MatchExpression => self.match_expr(node, w, stack, sink, depth),
            Kind::WhileExpression => self.while_loop(node, w, stack, sink, depth),
            Kind::ForExpression => {
                let iter = self
                    .field(node, self.t.f.value)
                    .map(|v| self.expr(v, sink, depth + 1));
                if let Some(it) = &iter {
                    sink.push(StmtKind::Expr(it.clone()), it.span);
                }
                let target = self
                    .field(node, self.t.f.pattern)
                    .map(|p| self.pattern(p, depth + 1));
                let kind = LoopKind::For;
                self.push_loop(node, kind, target, iter, w, stack, sink);
            }
            Kind::LoopExpression => {
                self.push_loop(node, LoopKind::Loop, None, None, w, stack, sink)
            }
            Kind::LetDeclaration => self.let_decl(node, w, stack, sink, depth),
            Kind::ReturnExpression => {
                let value = match self.first_named(node) {
                    Some(v) => self.expr(v, sink, depth + 1),
                    None => Expr::new(ExprKind::Tuple(Vec::new()), self.span(node)),
                };
                sink.push(StmtKind::Return(value), self.span(node));
            }
            Kind::BreakExpression => {
                let mut c = self.cursor(node);
                let mut value = None;
                if c.goto_first_child() {
                    loop {
                        let ch = c.node();
                        if self.kind(ch).is_expr() {
                            value = Some(ch);
                        }
                        if !c.goto_next_sibling() {
                            break;
                        }
                    }
                }
                self.done(c);
                if let Some(v) = value {
                    let e = self.expr(v, sink, depth + 1);
                    sink.push(StmtKind::Expr(e), self.span(node));
                }
            }
            Kind::ContinueExpression | Kind::EmptyStatement | Kind::Label => {}
            Kind::AssignmentExpression | Kind::CompoundAssignmentExpr => {
                let augmented = k == Kind::CompoundAssignmentExpr;
                let (Some(l), Some(r)) = (
                    self.field(node, self.t.f.left),
                    self.field(node, self.t.f.right),
                ) else {
                    return;
                };
                let target = self.expr(l, sink, depth + 1);
                let value = self.expr(r, sink, depth + 1);
                let kind = StmtKind::Assign {
                    targets: vec![target],
                    value,
                    annotation: None,
                    augmented,
                };
                sink.push(kind, self.span(node));
            }
            Kind::UseDeclaration if !item_attrs.iter().any(|a| self.is_test_attr(*a)) => {
                self.use_declaration(node, depth)
            }
            Kind::ConstItem | Kind::StaticItem => {
                if item_attrs.iter().any(|a| self.is_test_attr(*a)) {
                    return;
                }
                let name = self
                    .field(node, self.t.f.name)
                    .map(|n| self.text(n).to_owned());
                let target = name.into_iter().collect();
                self.const_item(node, &item_attrs, target, sink, depth);
            }
            Kind::FunctionItem | Kind::ImplItem | Kind::TraitItem | Kind::ModItem => {
                let scope = Scope {
                    module_path: sink.module_path.to_vec(),
                    container: sink.owner,
                    assoc: None,
                };
                self.item(node, &item_attrs, &scope, depth + 1);
            }
            Kind::Error => self.push_error_children(node, w, stack),
            _ if k.is_expr() => {
                let e = self.expr(node, sink, depth + 1);
                match w.tail {
                    Tail::Discard => sink.push(StmtKind::Expr(e), self.span(node)),
                    Tail::Return => sink.push(StmtKind::Return(e), self.span(node)),
                    Tail::Collect => values.push(e),
                }
            }
            _ => {}
        }
    }

    /// Pushes a block's statements; its tail expression (a final expression,
    /// or a final block-like statement without `;`) gets the block's tail mode.
    fn push_block(
        &mut self,
        block: Node<'a>,
        tail: Tail,
        loop_idx: Option<LoopIdx>,
        stack: &mut Vec<Work<'a>>,
    ) {
        let start = stack.len();
        let mut c = self.cursor(block);
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                if ch.is_named() && !self.kind(ch).is_comment() {
                    stack.push(Work {
                        node: ch,
                        tail: Tail::Discard,
                        loop_idx,
                        guard: false,
                    });
                }
                if !c.goto_next_sibling() {
                    break;
                }
            }
        }
        self.done(c);
        if tail != Tail::Discard
            && stack.len() > start
            && let Some(last) = stack.last_mut()
        {
            let lk = self.t.kind(last.node);
            let is_tail = match lk {
                Kind::ExpressionStatement => self.child_of_kind(last.node, Kind::Semi).is_none(),
                _ => lk.is_expr(),
            };
            if is_tail {
                last.tail = tail;
            }
        }
        if let Some(seg) = stack.get_mut(start..) {
            seg.reverse();
        }
    }

    /// Statement-like children of an ERROR node, so code around a syntax error
    /// still yields facts.
    fn push_error_children(&mut self, node: Node<'a>, w: Work<'a>, stack: &mut Vec<Work<'a>>) {
        let start = stack.len();
        let mut c = self.cursor(node);
        if c.goto_first_child() {
            loop {
                let ch = c.node();
                let useful = matches!(
                    self.kind(ch),
                    Kind::LetDeclaration
                        | Kind::ExpressionStatement
                        | Kind::Block
                        | Kind::CallExpression
                        | Kind::MacroInvocation
                        | Kind::AwaitExpression
                        | Kind::TryExpression
                        | Kind::FunctionItem
                        | Kind::UseDeclaration
                        | Kind::Error
                );
                if useful {
                    stack.push(Work {
                        node: ch,
                        tail: Tail::Discard,
                        ..w
                    });
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
}
