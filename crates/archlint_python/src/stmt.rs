//! The statement walker. It keeps an explicit stack of "remaining children of
//! this block/clause" iterators instead of recursing, so 5,000 nested `if`s or
//! a deeply nested ERROR cost heap, not call stack. Popping an iterator yields
//! one child and pushes the iterator back; a compound child pushes its own
//! blocks on top, which keeps statements in source order.

use crate::kinds::K;
use crate::lower::{Cx, Kids, Lowerer, Owner};
use archlint_model::{Branch, Expr, ExprKind, Loop, LoopKind, Span, StmtKind};
use tree_sitter::Node;

struct Work<'t> {
    kids: Kids<'t>,
    cx: Cx,
    /// Children of an ERROR node: expressions there become statements.
    in_error: bool,
}

/// Pending blocks and clauses.
pub(crate) struct Stack<'t>(Vec<Work<'t>>);

impl<'t> Stack<'t> {
    /// Queues the children of `node` (a block, clause or ERROR) for lowering in
    /// `cx`. Only statements, blocks and clauses among them are lowered (and
    /// expressions, inside an ERROR); headers are the caller's business.
    pub fn seq(&mut self, lw: &mut Lowerer<'t>, node: Node<'t>, cx: Cx) {
        let in_error = node.is_error();
        self.0.push(Work {
            kids: lw.kids(node),
            cx,
            in_error,
        });
    }
}

impl<'t> Lowerer<'t> {
    pub fn lower_module(&mut self, root: Node<'t>) {
        let mut stack = Stack(Vec::new());
        stack.seq(self, root, Cx::new(Owner::Module, None));
        while let Some(mut work) = stack.0.pop() {
            match work.kids.next() {
                Some(child) => {
                    let (cx, in_error) = (work.cx, work.in_error);
                    stack.0.push(work);
                    self.visit(child, cx, in_error, &mut stack);
                }
                None => self.done(work.kids),
            }
        }
    }

    fn visit(&mut self, node: Node<'t>, cx: Cx, in_error: bool, stack: &mut Stack<'t>) {
        match self.kind(node) {
            K::Module
            | K::Block
            | K::ElseClause
            | K::TryStatement
            | K::ExceptClause
            | K::ExceptGroupClause
            | K::FinallyClause
            | K::CaseClause
            | K::Error => stack.seq(self, node, cx),
            // The condition, then the blocks and `elif`/`else` clauses.
            K::IfStatement | K::ElifClause => {
                let cond = self.child(node, self.k.f.condition);
                if let Some(c) = cond {
                    self.expr_stmt(c, cx);
                }
                if let (Some(c), Some(body), Owner::Func(i)) =
                    (cond, self.child(node, self.k.f.consequence), cx.owner)
                {
                    let branch = Branch {
                        cond: self.span(c),
                        body: self.span(body),
                    };
                    if let Some(f) = self.facts.functions.get_mut(i as usize) {
                        f.branches.push(branch);
                    }
                }
                stack.seq(self, node, cx);
            }
            K::MatchStatement => {
                if let Some(s) = self.child(node, self.k.f.subject) {
                    self.expr_stmt(s, cx);
                }
                stack.seq(self, node, cx);
            }
            K::ExpressionStatement => self.expression_statement(node, cx),
            // Python 3.12 `type Alias = Annotated[User, Depends(auth)]`: an assignment of the alias.
            K::TypeAliasStatement => {
                let left = self.child(node, self.k.f.left);
                let right = self.child(node, self.k.f.right);
                if let (Some(l), Some(r)) = (left, right) {
                    let span = self.span(node);
                    let kind = StmtKind::Assign {
                        targets: vec![self.expr(l, cx)],
                        value: self.expr(r, cx),
                        annotation: None,
                        augmented: false,
                    };
                    self.push_stmt(cx.owner, kind, span, cx.lp);
                }
            }
            K::ReturnStatement => {
                let span = self.span(node);
                let value = match self.first_named(node) {
                    Some(v) => self.expr(v, cx),
                    None => Expr::new(ExprKind::NoneLit, span),
                };
                self.push_stmt(cx.owner, StmtKind::Return(value), span, cx.lp);
            }
            // `match` guards, and the operands of `assert`, `raise`, `del`, Python 2 `print`/`exec`.
            K::IfClause
            | K::AssertStatement
            | K::RaiseStatement
            | K::DeleteStatement
            | K::PrintStatement
            | K::ExecStatement => {
                let mut kids = self.kids(node);
                while let Some(child) = kids.next() {
                    if child.is_named() {
                        self.expr_stmt(child, cx);
                    }
                }
                self.done(kids);
            }
            K::ImportStatement | K::ImportFromStatement | K::FutureImportStatement => {
                self.import(node)
            }
            K::ForStatement => self.for_statement(node, cx, stack),
            K::WhileStatement => self.while_statement(node, cx, stack),
            K::WithStatement => self.with_statement(node, cx, stack),
            K::FunctionDefinition | K::ClassDefinition | K::DecoratedDefinition => {
                self.definition(node, cx, stack)
            }
            k if in_error && is_value(k) => {
                let span = self.span(node);
                self.stmt_content(node, span, cx);
            }
            _ => {}
        }
    }

    /// An expression evaluated as a statement of its own.
    fn expr_stmt(&mut self, node: Node<'t>, cx: Cx) {
        let e = self.expr(node, cx);
        let span = e.span;
        self.push_stmt(cx.owner, StmtKind::Expr(e), span, cx.lp);
    }

    fn expression_statement(&mut self, node: Node<'t>, cx: Cx) {
        let span = self.span(node);
        let mut first = None;
        let mut more = false;
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            if child.is_named() {
                more = first.is_some();
                first = first.or(Some(child));
                if more {
                    break;
                }
            }
        }
        self.done(kids);
        if more {
            // `a, b` as a statement.
            let items = self.items(node, cx);
            let value = Expr::new(ExprKind::Tuple(items), span);
            self.push_stmt(cx.owner, StmtKind::Expr(value), span, cx.lp);
        } else if let Some(child) = first {
            self.stmt_content(child, span, cx);
        }
    }

    /// The content of an expression statement: assignment, `yield`, or an expression.
    fn stmt_content(&mut self, node: Node<'t>, span: Span, cx: Cx) {
        let kind = match self.kind(node) {
            K::Assignment | K::AugmentedAssignment => self.assignment(node, span, cx),
            K::Yield => {
                // `yield v` and `yield from v` hand `v` out: a return for our purposes.
                let value = match self.first_named(node) {
                    Some(v) => self.expr(v, cx),
                    None => Expr::new(ExprKind::NoneLit, span),
                };
                StmtKind::Return(value)
            }
            // A bare constant string (a docstring) does nothing: keeping its
            // text would only cost memory for the whole scan, and it is not
            // even decoded. F-strings stay: their interpolations may call things.
            K::String if !self.interpolates(node) => return,
            _ => {
                let e = self.expr(node, cx);
                // Concatenated or parenthesized constant strings, seen once lowered.
                if matches!(e.kind, ExprKind::Str(_)) {
                    return;
                }
                StmtKind::Expr(e)
            }
        };
        self.push_stmt(cx.owner, kind, span, cx.lp);
    }

    /// `a = b = v` (chains walked in a loop), `x: T = v`, `x: T` (value is an
    /// empty `Other` spanning the statement, as `Assign` needs one), `x += v`.
    fn assignment(&mut self, node: Node<'t>, span: Span, cx: Cx) -> StmtKind {
        let f = &self.k.f;
        let (f_left, f_right, f_ty) = (f.left, f.right, f.ty);
        let augmented = self.kind(node) == K::AugmentedAssignment;
        // One target but for `a = b = v`: facts keep their lists exact.
        let mut targets = Vec::with_capacity(1);
        let mut annotation = None;
        let mut cur = node;
        let value = loop {
            if let Some(left) = self.child(cur, f_left) {
                targets.push(self.expr(left, cx));
            }
            if annotation.is_none()
                && let Some(ty) = self.child(cur, f_ty)
            {
                annotation = Some(self.expr(ty, cx));
            }
            match self.child(cur, f_right) {
                Some(r) if self.kind(r) == K::Assignment && !augmented => cur = r,
                Some(r) => break self.expr(r, cx),
                None => break self.nothing(span),
            }
        };
        targets.shrink_to_fit();
        StmtKind::Assign {
            targets,
            value,
            annotation: annotation.map(Box::new),
            augmented,
        }
    }

    /// `for t in it:` is a loop holding `t` and `it`; the body runs inside it,
    /// the `else` block after it.
    fn for_statement(&mut self, node: Node<'t>, cx: Cx, stack: &mut Stack<'t>) {
        let f = &self.k.f;
        let (left, right) = (self.child(node, f.left), self.child(node, f.right));
        let (body, alt) = (self.child(node, f.body), self.child(node, f.alternative));
        let span = self.span(node);
        let target = left.map(|n| self.expr(n, cx));
        let iter = right.map(|n| self.expr(n, cx));
        let inner = self.push_loop(
            cx,
            Loop {
                kind: LoopKind::For,
                target,
                iter,
                parent: cx.lp,
                span,
            },
        );
        // Pushed in reverse: the body is lowered first.
        if let Some(alt) = alt {
            stack.seq(self, alt, cx);
        }
        if let Some(body) = body {
            stack.seq(self, body, cx.with_loop(inner));
        }
    }

    /// `while c:` is a loop whose `iter` is `c`; since `c` runs on every
    /// iteration it is also an `Expr` statement inside the loop.
    fn while_statement(&mut self, node: Node<'t>, cx: Cx, stack: &mut Stack<'t>) {
        let f = &self.k.f;
        let cond = self.child(node, f.condition);
        let (body, alt) = (self.child(node, f.body), self.child(node, f.alternative));
        let span = self.span(node);
        // The loop exists first so that what the condition adds (a walrus
        // assignment, a comprehension) is inside it too.
        let lowered = Loop {
            kind: LoopKind::While,
            target: None,
            iter: None,
            parent: cx.lp,
            span,
        };
        let inner = self.push_loop(cx, lowered);
        if let Some(c) = cond {
            let c = self.expr(c, cx.with_loop(inner));
            if let Some(i) = inner {
                self.set_loop_iter(cx.owner, i, c.clone());
            }
            let s = c.span;
            self.push_stmt(cx.owner, StmtKind::Expr(c), s, inner);
        }
        if let Some(alt) = alt {
            stack.seq(self, alt, cx);
        }
        if let Some(body) = body {
            stack.seq(self, body, cx.with_loop(inner));
        }
    }

    /// `with a() as b, c():` gives `Assign b = a()` and `Expr c()`.
    fn with_statement(&mut self, node: Node<'t>, cx: Cx, stack: &mut Stack<'t>) {
        let mut kids = self.kids(node);
        while let Some(child) = kids.next() {
            match self.kind(child) {
                K::WithItem => self.with_item(child, cx),
                K::WithClause => {
                    let mut items = self.kids(child);
                    while let Some(item) = items.next() {
                        if self.kind(item) == K::WithItem {
                            self.with_item(item, cx);
                        }
                    }
                    self.done(items);
                }
                _ => {}
            }
        }
        self.done(kids);
        if let Some(body) = self.child(node, self.k.f.body) {
            stack.seq(self, body, cx);
        }
    }

    fn with_item(&mut self, item: Node<'t>, cx: Cx) {
        let Some(value) = self.first_named(item) else {
            return;
        };
        if self.kind(value) != K::AsPattern {
            self.expr_stmt(value, cx);
            return;
        }
        let source = self.first_named(value);
        let span = self.span(item);
        let value_expr = match source {
            Some(s) => self.expr(s, cx),
            None => self.nothing(span),
        };
        // The alias is an `as_pattern_target` wrapping the actual target.
        let target = self.child(value, self.k.f.alias).and_then(|t| {
            if self.kind(t) == K::AsPatternTarget {
                self.first_named(t)
            } else {
                Some(t)
            }
        });
        let kind = match target {
            Some(t) => {
                let target = self.expr(t, cx);
                StmtKind::Assign {
                    targets: vec![target],
                    value: value_expr,
                    annotation: None,
                    augmented: false,
                }
            }
            None => StmtKind::Expr(value_expr),
        };
        self.push_stmt(cx.owner, kind, span, cx.lp);
    }
}

/// Kinds that, met directly inside an ERROR node, are kept as statements.
/// Bare names and literals are left out: in recovered code they are mostly
/// fragments of the broken line, not statements.
fn is_value(k: K) -> bool {
    matches!(
        k,
        K::Call
            | K::Attribute
            | K::Subscript
            | K::Assignment
            | K::AugmentedAssignment
            | K::Yield
            | K::Await
            | K::BinaryOperator
            | K::BooleanOperator
            | K::ComparisonOperator
            | K::NotOperator
            | K::String
            | K::ConcatenatedString
            | K::List
            | K::Tuple
            | K::Set
            | K::Dictionary
            | K::ListComprehension
            | K::SetComprehension
            | K::DictionaryComprehension
            | K::GeneratorExpression
            | K::Lambda
            | K::ConditionalExpression
            | K::NamedExpression
            | K::ParenthesizedExpression
            | K::ExpressionList
    )
}
