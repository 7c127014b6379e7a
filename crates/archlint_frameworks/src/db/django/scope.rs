//! One body being read (a function, a class body, a module): what its names
//! hold, as far as the ORM is concerned. A name is a model class, a local
//! queryset (`qs = Order.objects.filter(...)`), a model instance (a loop
//! variable over a queryset, `order = Order.objects.get(...)`, a parameter
//! annotated with a model, `request.user`), or unknown.

use super::chain::RelatedMgr;
use super::eval::{Eager, Eval, Res};
use super::models::{ModelId, Models};
use super::state::RelKind;
use archlint_model::{
    ArgsExt, Expr, ExprKind, FuncRef, Loop, LoopIdx, LoopKind, Param, Pos, ProjectIndex, Stmt,
    StmtKind, Symbol,
};
use rustc_hash::FxHashMap as HashMap;
use std::cell::Cell;

/// Bound on nested questions about names (a local built from a loop
/// variable over a local built from ...).
const MAX_NESTING: u32 = 24;

/// What every body shares.
pub struct Ctx<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub models: &'a Models,
}

/// A model instance and how it was obtained.
#[derive(Clone, Debug)]
pub struct Instance {
    pub model: ModelId,
    /// For a loop variable: what the loop's queryset loaded eagerly.
    pub eager: Option<Eager>,
    /// For a loop variable: the loop.
    pub loop_var: Option<LoopIdx>,
}

/// A body and its context.
pub struct Scope<'a, 'c, 'p> {
    pub cx: &'c Ctx<'c, 'p>,
    pub file: u32,
    pub func: Option<FuncRef>,
    /// The function's name (`get_queryset`), if any.
    pub name: Option<&'a str>,
    pub body: &'a [Stmt],
    pub loops: &'a [Loop],
    pub params: &'a [Param],
    /// Plain assignments (`name = value`) by name, in body order: where the
    /// statement starts and the value.
    locals: HashMap<&'a str, Vec<(Pos, &'a Expr)>>,
    depth: Cell<u32>,
}

impl<'a, 'c, 'p> Scope<'a, 'c, 'p> {
    pub fn new(
        cx: &'c Ctx<'c, 'p>,
        file: u32,
        func: Option<FuncRef>,
        name: Option<&'a str>,
        body: &'a [Stmt],
        loops: &'a [Loop],
        params: &'a [Param],
    ) -> Self {
        let mut locals: HashMap<&'a str, Vec<(Pos, &'a Expr)>> = HashMap::default();
        for s in body {
            if let StmtKind::Assign {
                targets,
                value,
                augmented: false,
                ..
            } = &s.kind
                && let [t] = targets.as_slice()
                && let ExprKind::Name(n) = &t.kind
            {
                locals
                    .entry(n.as_str())
                    .or_default()
                    .push((s.span.start, value));
            }
        }
        // Comprehension statements come before the statement holding them:
        // order each name's assignments by position for the lookups below.
        for v in locals.values_mut() {
            v.sort_by_key(|(p, _)| *p);
        }
        Scope {
            cx,
            file,
            func,
            name,
            body,
            loops,
            params,
            locals,
            depth: Cell::new(0),
        }
    }

    /// Runs `f` one level deeper, or gives up past the bound.
    fn nested<T>(&self, f: impl FnOnce() -> Option<T>) -> Option<T> {
        let d = self.depth.get();
        if d >= MAX_NESTING {
            return None;
        }
        self.depth.set(d + 1);
        let out = f();
        self.depth.set(d);
        out
    }

    /// The model class a name or attribute chain refers to, or a model
    /// loaded by label (`get_model("shop", "Order")`, directly or through a
    /// module-level name bound to it).
    pub fn model_class(&self, e: &Expr) -> Option<ModelId> {
        if let Some(m) = self.model_by_label(e) {
            return Some(m);
        }
        if !matches!(e.kind, ExprKind::Name(_) | ExprKind::Attr(..)) {
            return None;
        }
        match self.cx.index.resolve_expr(self.file, e)? {
            Symbol::Class(c) => self.cx.models.by_class.get(&c).copied(),
            Symbol::Global { file, stmt } => {
                let value = match &self
                    .cx
                    .index
                    .project
                    .file(file)?
                    .facts
                    .module_stmts
                    .get(stmt as usize)?
                    .kind
                {
                    StmtKind::Assign { value, .. } => value,
                    _ => return None,
                };
                self.model_by_label(value)
            }
            _ => None,
        }
    }

    /// `apps.get_model("shop", "Order")`, `apps.get_model("shop.Order")`
    /// (Django's app registry; django-oscar's `get_model` has the same form).
    fn model_by_label(&self, e: &Expr) -> Option<ModelId> {
        let (f, args) = e.as_call()?;
        if f.last_name()? != "get_model" {
            return None;
        }
        let text = |i: usize| match &args.positional(i)?.kind {
            ExprKind::Str(s) => Some(s.as_str()),
            _ => None,
        };
        let (app, model) = match (text(0)?, text(1)) {
            (app, Some(model)) => (app, model),
            (label, None) => label.split_once('.')?,
        };
        self.cx
            .models
            .by_label
            .get(&(app.to_lowercase(), model.to_lowercase()))
            .copied()
    }

    /// `Order.published` where `published = PublishedManager()` on the model.
    pub fn is_custom_manager(&self, recv: &Expr, attr: &str) -> bool {
        self.model_class(recv)
            .and_then(|m| self.cx.models.list.get(m))
            .is_some_and(|m| m.managers.iter().any(|x| x.name == attr))
    }

    /// The value last assigned to `name` (alone, not augmented) by a
    /// statement starting before `at`.
    pub fn local_value(&self, name: &str, at: Pos) -> Option<&'a Expr> {
        self.local(name, at).map(|(v, _)| v)
    }

    /// As [`Scope::local_value`], with where the assigning statement starts
    /// (where the value itself is evaluated).
    pub fn local(&self, name: &str, at: Pos) -> Option<(&'a Expr, Pos)> {
        let list = self.locals.get(name)?;
        let n = list.partition_point(|(p, _)| *p < at);
        let (p, v) = list.get(n.checked_sub(1)?)?;
        Some((v, *p))
    }

    /// Evaluates the chain `e` is, evaluated at `at`.
    pub fn eval_expr(&self, e: &'a Expr, at: Pos) -> Option<Eval> {
        self.nested(|| {
            let chain = self.chain(e, at)?;
            self.eval(&chain)
        })
    }

    /// Whether `name` holds a queryset at `at`.
    pub fn is_local_queryset(&self, name: &str, at: Pos) -> bool {
        self.nested(|| {
            let (value, pos) = self.local(name, at)?;
            let ev = self.eval_expr(value, pos)?;
            // A custom method last may return anything (`in_bulk`-like dicts).
            Some(ev.res == Res::QuerySet && !ev.last_unknown)
        })
        .unwrap_or(false)
    }

    /// The rows a `for`/comprehension loop iterates, and its variable.
    pub fn loop_rows(&self, idx: LoopIdx) -> Option<(Eval, &'a str)> {
        let lp = self.loops.get(idx as usize)?;
        if !matches!(lp.kind, LoopKind::For | LoopKind::Comprehension) {
            return None;
        }
        let (target, iter) = (lp.target.as_ref()?, lp.iter.as_ref()?);
        let (var, iter) = match (&target.kind, iter.as_call()) {
            (ExprKind::Name(v), _) => (v.as_str(), iter),
            // `for i, order in enumerate(orders)`.
            (ExprKind::Tuple(xs), Some((f, args)))
                if f.last_name() == Some("enumerate") && xs.len() == 2 =>
            {
                let ExprKind::Name(v) = &xs.get(1)?.kind else {
                    return None;
                };
                (v.as_str(), &args.first()?.value)
            }
            _ => return None,
        };
        let at = lp.span.start;
        let ev = self.nested(|| match &iter.kind {
            ExprKind::Name(n) => {
                let (value, pos) = self.local(n, at)?;
                self.eval_expr(value, pos)
            }
            _ => self.eval_expr(iter, at),
        })?;
        ev.rows_of_instances().then_some((ev, var))
    }

    /// The model instance `e` denotes at `at`, if known.
    pub fn instance(&self, e: &'a Expr, at: Pos) -> Option<Instance> {
        self.nested(|| self.instance_inner(e, at))
    }

    fn instance_inner(&self, e: &'a Expr, at: Pos) -> Option<Instance> {
        let plain = |model| Instance {
            model,
            eager: None,
            loop_var: None,
        };
        match &e.kind {
            ExprKind::Name(n) => {
                // A loop variable of an enclosing loop, innermost first.
                let mut enclosing: Vec<(usize, &Loop)> = self
                    .loops
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.span.start < at && at < l.span.end)
                    .collect();
                enclosing.sort_by_key(|(_, l)| std::cmp::Reverse(l.span.start));
                for (i, _) in enclosing {
                    if let Some((ev, var)) = self.loop_rows(i as LoopIdx)
                        && var == n
                    {
                        return Some(Instance {
                            model: ev.model,
                            eager: Some(ev.eager),
                            loop_var: Some(i as LoopIdx),
                        });
                    }
                }
                if let Some((value, pos)) = self.local(n, at) {
                    if let Some(m) = value.as_call().and_then(|(f, _)| self.model_class(f)) {
                        return Some(plain(m));
                    }
                    let ev = self.eval_expr(value, pos)?;
                    return (ev.res == Res::Instance).then(|| plain(ev.model));
                }
                let p = self.params.iter().find(|p| &p.name == n)?;
                self.model_class(p.annotation.as_ref()?).map(plain)
            }
            // `request.user`, `self.request.user`: the project's user model.
            ExprKind::Attr(inner, a)
                if a == "user"
                    && matches!(inner.last_name(), Some("request"))
                    && matches!(inner.kind, ExprKind::Name(_) | ExprKind::Attr(..)) =>
            {
                let key = self.cx.models.auth_user.as_ref()?;
                self.cx.models.by_label.get(key).copied().map(plain)
            }
            // `order.customer`: the target of a forward relation.
            ExprKind::Attr(inner, a) => {
                let owner = self.instance(inner, at)?;
                let models = self.cx.models;
                let m = models.list.get(models.concrete(owner.model))?;
                let f = m.field(a).filter(|f| f.is_single_relation())?;
                let t = models.resolve(owner.model, &f.relation()?.target)?;
                Some(plain(t))
            }
            ExprKind::Call { .. } | ExprKind::Subscript(..) => {
                let ev = self.eval_expr(e, at)?;
                (ev.res == Res::Instance).then(|| plain(ev.model))
            }
            _ => None,
        }
    }

    /// The related manager `name` of instances of `model` (`items`, `tags`).
    pub fn related_manager(&self, model: ModelId, name: &str) -> Option<RelatedMgr> {
        let models = self.cx.models;
        let m = models.list.get(models.concrete(model))?;
        if let Some((i, f)) = m.fields.iter().enumerate().find(|(_, f)| f.name == name) {
            let r = f.relation()?;
            if r.kind != RelKind::ManyToMany {
                return None;
            }
            let target = models.resolve(model, &r.target)?;
            return Some(RelatedMgr::ManyToMany { field: i, target });
        }
        let rev = models.reverse_of(model, name, false)?;
        // A reverse one-to-one is an instance, not a manager.
        (rev.kind != RelKind::OneToOne).then(|| RelatedMgr::Reverse(rev.clone()))
    }
}
