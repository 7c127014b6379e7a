//! What a query expression is read against: the project, the registry, the
//! vocabulary, and the function it sits in with its local assignments
//! (indexed once, so following `q = q.filter(...)` chains stays cheap).

use super::super::knowledge::SaNames;
use super::super::models::{ModelId, Registry};
use super::chain::Built;
use archlint_model::visit::walk_expr;
use archlint_model::{Expr, ExprKind, FuncRef, Function, Pos, ProjectIndex, Span, StmtKind};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;

/// One binding of a local: where it ends, the value when it is a plain
/// `name = value`, and the binding's span.
pub type Binding<'p> = (Pos, Option<&'p Expr>, Span);

/// What project functions return, when it is a query (`def active_users():
/// return User.query.filter(...)`), computed once per function.
pub type Factories = RefCell<HashMap<FuncRef, Option<Built>>>;

/// One function under analysis.
pub struct Scope<'a, 'p> {
    pub index: &'a ProjectIndex<'p>,
    pub reg: &'a Registry<'p>,
    pub n: &'a SaNames,
    pub fref: FuncRef,
    pub func: &'p Function,
    pub factories: &'a Factories,
    /// Bindings of each local, in order: (end of the binding, the value
    /// when it is a plain `name = value`, the binding's span). Tuple
    /// targets, augmented assignments and loop variables bind an unknown value.
    locals: HashMap<&'p str, Vec<Binding<'p>>>,
}

impl<'a, 'p> Scope<'a, 'p> {
    pub fn new(
        index: &'a ProjectIndex<'p>,
        reg: &'a Registry<'p>,
        n: &'a SaNames,
        fref: FuncRef,
        func: &'p Function,
        factories: &'a Factories,
    ) -> Self {
        let mut locals: HashMap<&'p str, Vec<Binding<'p>>> = HashMap::default();
        for s in &func.body {
            let StmtKind::Assign {
                targets,
                value,
                augmented,
                ..
            } = &s.kind
            else {
                continue;
            };
            for t in targets {
                match &t.kind {
                    ExprKind::Name(name) => {
                        let v = (!*augmented).then_some(value);
                        locals
                            .entry(name.as_str())
                            .or_default()
                            .push((s.span.end, v, s.span));
                    }
                    ExprKind::Tuple(xs) | ExprKind::List(xs) => {
                        for x in xs {
                            if let ExprKind::Name(name) = &x.kind {
                                locals
                                    .entry(name.as_str())
                                    .or_default()
                                    .push((s.span.end, None, s.span));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for lp in &func.loops {
            let Some(t) = &lp.target else { continue };
            walk_expr(t, |x| {
                if let ExprKind::Name(name) = &x.kind {
                    locals
                        .entry(name.as_str())
                        .or_default()
                        .push((t.span.end, None, lp.span));
                }
            });
        }
        for v in locals.values_mut() {
            v.sort_by_key(|(end, _, _)| *end);
        }
        Scope {
            index,
            reg,
            n,
            fref,
            func,
            factories,
            locals,
        }
    }

    pub fn file(&self) -> u32 {
        self.fref.file
    }

    /// The value last assigned to local `name` by a statement that ends
    /// before `before` (so `q = q.filter(...)` reads the previous `q`).
    pub fn local(&self, name: &str, before: Pos) -> Option<(&'p Expr, Span)> {
        let list = self.locals.get(name)?;
        let i = list.partition_point(|(end, _, _)| *end <= before);
        let (_, v, s) = list.get(i.checked_sub(1)?)?;
        Some(((*v)?, *s))
    }

    /// Whether `name` is assigned anywhere in the function.
    pub fn is_local(&self, name: &str) -> bool {
        self.locals.contains_key(name)
    }

    /// Every binding of local `name`, in order.
    pub fn assignments(&self, name: &str) -> &[Binding<'p>] {
        self.locals.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The model a class expression refers to.
    pub fn model(&self, e: &Expr) -> Option<ModelId> {
        self.reg.model_of(self.index, self.file(), e)
    }
}
