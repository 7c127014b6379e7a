//! Evaluating builder expressions (`Router::new().route(..)`, `App::new()..`,
//! `routes![..]`) the way the code builds them: through `let` bindings
//! (latest binding before the use, so `let app = app.route(..)` rebinding
//! works), closure bodies, parameters bound to the caller's arguments, and
//! the return values of project functions (`.nest("/api", api_router())`).
//!
//! Every evaluation is bounded: a depth limit on nested frames, a limit on
//! native recursion, a work budget per builder and per run, and a guard
//! against functions that (indirectly) build themselves. Which bindings and
//! function returns were used inside other builders is recorded, so the
//! outermost builders can be told apart; so is whether an evaluation met
//! something it could not follow (it is then *incomplete*).

use super::Shared;
use crate::calls::{LocalNames, resolve_callee};
use crate::routes::Cx;
use archlint_model::{
    Arg, Expr, ExprKind, FuncRef, Function, Language, ParamKind, Pos, Span, Stmt, StmtKind, Symbol,
};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

/// Nested frames (calls, variable lookups) followed at most.
pub const MAX_DEPTH: u32 = 16;
/// Evaluation steps per builder: far more than any real router set-up takes.
const CANDIDATE_BUDGET: u32 = 50_000;
/// Evaluation steps per framework run, whatever the project size.
const RUN_BUDGET: u32 = 5_000_000;
/// Native recursion (evaluations nested in evaluations) allowed at once.
const MAX_NESTING: u32 = 64;

/// Where an evaluated builder value comes from, to know whether another
/// builder consumed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A `let` (or assignment) statement: file and statement start.
    Stmt(u32, Pos),
    /// The return value of a function.
    Return(FuncRef),
    /// Any other expression: file and span.
    Expr(u32, Span),
}

/// Evaluation state shared by one framework run.
pub struct Ctx<'a, 'c, 'p> {
    pub cx: &'a Cx<'c, 'p>,
    pub sh: &'a Shared<'p>,
    budget: Cell<u32>,
    run_budget: Cell<u32>,
    nesting: Cell<u32>,
    incomplete: Cell<bool>,
    overflow: Cell<bool>,
    exhausted: Cell<bool>,
    consumed: RefCell<BTreeSet<Key>>,
    active: RefCell<Vec<FuncRef>>,
}

/// Releases one level of nesting when dropped.
pub struct Nested<'c>(&'c Cell<u32>);

impl Drop for Nested<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl<'a, 'c, 'p> Ctx<'a, 'c, 'p> {
    pub fn new(cx: &'a Cx<'c, 'p>, sh: &'a Shared<'p>) -> Self {
        Ctx {
            cx,
            sh,
            budget: Cell::new(CANDIDATE_BUDGET),
            run_budget: Cell::new(RUN_BUDGET),
            nesting: Cell::new(0),
            incomplete: Cell::new(false),
            overflow: Cell::new(false),
            exhausted: Cell::new(false),
            consumed: RefCell::default(),
            active: RefCell::default(),
        }
    }

    /// Starts evaluating a new builder: a fresh per-builder budget.
    pub fn begin(&self) {
        self.budget.set(CANDIDATE_BUDGET);
        self.incomplete.set(false);
        self.overflow.set(false);
    }

    /// Whether the builder being evaluated ran out of its budget or nesting:
    /// what it produced is partial and should not be reported.
    pub fn overflowed(&self) -> bool {
        self.overflow.get()
    }

    /// Whether the builder being evaluated met something it could not follow
    /// (or ran out of budget) since [`Ctx::begin`].
    pub fn incomplete(&self) -> bool {
        self.incomplete.get()
    }

    pub fn mark_incomplete(&self) {
        self.incomplete.set(true);
    }

    /// Restores the incompleteness seen before a tentative evaluation that
    /// turned out not to be a builder at all.
    pub fn restore_incomplete(&self, before: bool) {
        self.incomplete.set(before);
    }

    /// Whether the run budget ran out: results are then partial everywhere.
    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// Spends one step; false once a budget is gone.
    pub fn tick(&self) -> bool {
        let (b, r) = (self.budget.get(), self.run_budget.get());
        if b == 0 || r == 0 {
            self.incomplete.set(true);
            self.overflow.set(true);
            self.exhausted.set(self.exhausted.get() || r == 0);
            return false;
        }
        self.budget.set(b - 1);
        self.run_budget.set(r - 1);
        true
    }

    /// Enters one more level of native recursion, if allowed.
    pub fn nest(&self) -> Option<Nested<'_>> {
        let n = self.nesting.get();
        if n >= MAX_NESTING {
            self.incomplete.set(true);
            self.overflow.set(true);
            return None;
        }
        self.nesting.set(n + 1);
        Some(Nested(&self.nesting))
    }

    pub fn consume(&self, key: Key) {
        self.consumed.borrow_mut().insert(key);
    }

    pub fn is_consumed(&self, key: &Key) -> bool {
        self.consumed.borrow().contains(key)
    }

    /// Runs `f` with `func` marked as being evaluated; `None` if it already is
    /// (a function building itself, directly or not).
    pub fn guarded<R>(&self, func: FuncRef, f: impl FnOnce() -> Option<R>) -> Option<R> {
        if self.active.borrow().contains(&func) {
            return None;
        }
        self.active.borrow_mut().push(func);
        let r = f();
        self.active.borrow_mut().pop();
        r
    }
}

/// Where an expression is evaluated: its file and function, the statement
/// lists in scope (innermost closure body first), the position before which
/// bindings are visible, and parameters bound to the caller's arguments.
#[derive(Clone)]
pub struct Frame<'p, 'f> {
    pub file: u32,
    pub func: Option<FuncRef>,
    pub scopes: Vec<&'p [Stmt]>,
    pub before: Option<Pos>,
    pub params: Vec<(&'p str, &'p Expr)>,
    pub caller: Option<&'f Frame<'p, 'f>>,
    pub depth: u32,
}

/// A binding found for a name: its value and the frame to evaluate it in.
pub struct Bound<'p, 'f> {
    pub value: &'p Expr,
    pub frame: Frame<'p, 'f>,
    /// `None` for a parameter (the argument belongs to the caller's builder).
    pub key: Option<Key>,
}

impl<'p, 'f> Frame<'p, 'f> {
    /// A frame at the top of a function body (or of a closure inside it).
    pub fn new(
        file: u32,
        func: Option<FuncRef>,
        scopes: Vec<&'p [Stmt]>,
        before: Option<Pos>,
    ) -> Self {
        Frame {
            file,
            func,
            scopes,
            before,
            params: Vec::new(),
            caller: None,
            depth: 0,
        }
    }

    /// The latest binding of `name` visible here: a `let` before the current
    /// position in the innermost scope that has one, else a parameter.
    /// `let (router, api) = x.split_for_parts()` (utoipa-axum) binds the
    /// router to the whole call, whose evaluation looks through it.
    pub fn lookup(&self, name: &str) -> Option<Bound<'p, 'f>> {
        for (i, scope) in self.scopes.iter().enumerate() {
            let mut found: Option<(&'p Stmt, &'p Expr)> = None;
            for s in scope.iter() {
                if self.before.is_some_and(|b| s.span.start >= b) {
                    break;
                }
                if let StmtKind::Assign {
                    targets,
                    value,
                    augmented: false,
                    ..
                } = &s.kind
                    && targets.iter().any(|t| binds(t, name, value))
                {
                    found = Some((s, value));
                }
            }
            if let Some((s, value)) = found {
                let mut frame = self.clone();
                frame.scopes = self.scopes.get(i..).map(<[_]>::to_vec).unwrap_or_default();
                frame.before = Some(s.span.start);
                frame.depth += 1;
                return Some(Bound {
                    value,
                    frame,
                    key: Some(Key::Stmt(self.file, s.span.start)),
                });
            }
        }
        let (_, arg) = self.params.iter().find(|(n, _)| *n == name)?;
        let caller = self.caller?;
        let mut frame = caller.clone();
        frame.depth = self.depth + 1;
        Some(Bound {
            value: arg,
            frame,
            key: None,
        })
    }

    /// What a name or path refers to in the project, seen from this frame
    /// (functions nested in the current one included).
    pub fn resolve(&self, cx: &Cx<'_, 'p>, sh: &Shared<'p>, e: &Expr) -> Option<Symbol> {
        let index = cx.index;
        match self.func.and_then(|f| Some((f, index.project.func(f)?))) {
            Some((fref, func)) => {
                let nested = sh.nested.get(self.file as usize)?;
                let locals = LocalNames::of(func);
                resolve_callee(index, nested, fref, &locals, Language::Rust, e)
            }
            None => index.resolve_expr(self.file, e),
        }
    }

    /// Enters a call of a project function: its frame, with simple parameters
    /// bound to the call's positional arguments.
    pub fn enter<'g>(
        &'g self,
        cx: &Cx<'_, 'p>,
        sh: &Shared<'p>,
        callee: &Expr,
        args: &'p [Arg],
    ) -> Option<(FuncRef, &'p Function, Frame<'p, 'g>)> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let Some(Symbol::Func(f)) = self.resolve(cx, sh, callee) else {
            return None;
        };
        let func = cx.index.project.func(f)?;
        let params: Vec<(&'p str, &'p Expr)> = func
            .params
            .iter()
            .filter(|p| p.kind != ParamKind::SelfParam)
            .zip(args.iter().filter(|a| a.name.is_none()))
            .filter(|(p, _)| is_ident(&p.name))
            .map(|(p, a)| (p.name.trim_start_matches("mut ").trim(), &a.value))
            .collect();
        let frame = Frame {
            file: f.file,
            func: Some(f),
            scopes: vec![func.body.as_slice()],
            before: None,
            params,
            caller: Some(self),
            depth: self.depth + 1,
        };
        Some((f, func, frame))
    }
}

/// The `return`s and tail expression of a function body, last first, each
/// with the frame that sees the bindings before it.
pub fn returns<'p, 'f>(
    func: &'p Function,
    frame: &Frame<'p, 'f>,
) -> Vec<(&'p Expr, Frame<'p, 'f>)> {
    func.body
        .iter()
        .rev()
        .filter_map(|s| match &s.kind {
            StmtKind::Return(e) => {
                let mut fr = frame.clone();
                fr.before = Some(s.span.start);
                Some((e, fr))
            }
            _ => None,
        })
        .collect()
}

/// Whether assignment target `t` binds `name` to `value` itself.
fn binds(t: &Expr, name: &str, value: &Expr) -> bool {
    match &t.kind {
        ExprKind::Name(n) => n == name,
        ExprKind::Tuple(xs) => {
            matches!(xs.first().map(|x| &x.kind), Some(ExprKind::Name(n)) if n == name)
                && matches!(&value.kind, ExprKind::Call { func, .. }
                    if matches!(&func.kind, ExprKind::Attr(_, m) if m == "split_for_parts"))
        }
        _ => false,
    }
}

fn is_ident(s: &str) -> bool {
    let s = s.trim_start_matches("mut ").trim();
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
/// A string argument: a literal, or a name bound to one (local or const).
pub fn string_value<'p>(cx: &Cx<'_, 'p>, frame: &Frame<'p, '_>, e: &'p Expr) -> Option<String> {
    let mut cur: &'p Expr = e;
    let mut fr = frame.clone();
    for _ in 0..MAX_DEPTH {
        match &cur.kind {
            ExprKind::Str(s) => return Some(s.clone()),
            ExprKind::Name(n) => {
                if let Some(b) = fr.lookup(n) {
                    cur = b.value;
                    fr = b.frame;
                    continue;
                }
                let (_, v) = crate::routes::module_value(cx.index, fr.file, n)?;
                return v.as_str().map(str::to_string);
            }
            ExprKind::Path(_) => {
                if let Some(Symbol::Global { file, stmt }) = cx.index.resolve_expr(fr.file, cur) {
                    let s = cx
                        .index
                        .project
                        .file(file)?
                        .facts
                        .module_stmts
                        .get(stmt as usize)?;
                    if let StmtKind::Assign { value, .. } = &s.kind {
                        return value.as_str().map(str::to_string);
                    }
                }
                return None;
            }
            _ => return None,
        }
    }
    None
}
